/**
 * Child process of the key-memory figures: a fresh process, so the RSS it grows by making keys is
 * theirs, not memory the allocator kept from earlier benches. Makes max(K, V) distinct P-256 points,
 * then K public KeyObjects (RSS, heap and external measured over them, a full GC each side), then,
 * where the native kernel loads, a verifier table of V points (no fixed-base tables) and one of F
 * with them (each table's bytes the median of three makings). Prints one JSON line (KeyMemoryChild). Usage: node key-memory-child.js K V F
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chooseCryptoKernel, publicKeyFromSec1, publicSec1FromScalar } from '@gbfleet/gbcs';

export interface KeyMemoryChild {
  keyObjects: { count: number; rssBytes: number; heapBytes: number; externalBytes: number };
  /** Absent where the native kernel does not load (`nativeMissing` says why). */
  verifiers?: { count: number; bytes: number; rssBytes: number };
  fixedBase?: { count: number; bytes: number };
  nativeMissing?: string;
}

const [keyObjects, verifierKeys, fixedBaseKeys] = process.argv.slice(2, 5).map(Number) as [number, number, number];
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const points = Array.from({ length: Math.max(keyObjects, verifierKeys, fixedBaseKeys) }, (_, k) =>
  publicSec1FromScalar(BigInt(k + 1)),
);

gc();
const m0 = process.memoryUsage();
const objects = points.slice(0, keyObjects).map((p) => publicKeyFromSec1(p));
gc();
const m1 = process.memoryUsage();
const out: KeyMemoryChild = {
  keyObjects: {
    count: objects.length,
    rssBytes: m1.rss - m0.rss,
    heapBytes: m1.heapUsed - m0.heapUsed,
    externalBytes: m1.external - m0.external,
  },
};
let kernel: ReturnType<typeof chooseCryptoKernel>['kernel'] | undefined;
try {
  kernel = chooseCryptoKernel('native').kernel;
} catch (error) {
  out.nativeMissing = (error as Error).message;
}
if (kernel) {
  const k = kernel;
  // A table's bytes are glibc's whole-process heap growth across its making, so a free by another
  // thread meanwhile (V8's sweeper) can hide some: settle first, make each table three times, keep
  // the median.
  const settle = async () => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const medianOf = async (make: () => { bytes: number }) => {
    const bytes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await settle();
      bytes.push(make().bytes);
    }
    return bytes.sort((a, b) => a - b)[1] as number;
  };
  const tableOf = points.slice(0, verifierKeys);
  await settle();
  const before = process.memoryUsage().rss;
  const first = k.verifiers(tableOf, { fixedBase: false });
  await settle();
  const rssBytes = process.memoryUsage().rss - before;
  const bytes = await medianOf(() => k.verifiers(tableOf, { fixedBase: false }));
  out.verifiers = { count: first.count, bytes, rssBytes };
  const fixedOf = points.slice(0, fixedBaseKeys);
  out.fixedBase = { count: fixedBaseKeys, bytes: await medianOf(() => k.verifiers(fixedOf, { fixedBase: true })) };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
