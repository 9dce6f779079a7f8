/**
 * Micro: the crypto kernels' batch calls on 1 thread, as a pool worker makes them (one call per
 * batch, offsets into one buffer). Native ECDSA P-256 sign and verify over command-sized messages
 * — verify with the generic double multiplication (what `openssl speed` does) and with the
 * fixed-base table the pool gives its few trusted parties — the GBCS MAC (writeMacs: KDF, AES key
 * schedule and GMAC per APDU) of the native and the JS kernel, and the native KDF alone (macKeys).
 * main.ts divides each by OpenSSL's single-process rate for the same operation.
 */

import { verify as nodeVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  type CraFlag,
  type CryptoKernel,
  chooseCryptoKernel,
  gbcsMacKey,
  publicKeyFromSec1,
  publicSec1FromScalar,
  scalarFromSeed,
} from '@gbfleet/gbcs';
import { Bench } from 'tinybench';
import type { BenchSizes, MicroSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';

/** The figures' names: they carry the batch (and the APDU size for the MAC). */
export function kernelNames(micro: MicroSizes) {
  const b = `1 thread, batch ${micro.kernelBatch}`;
  return {
    nativeSign: `crypto/native-sign-p256 (${b})`,
    nativeVerify: `crypto/native-verify-p256 (${b})`,
    nativeVerifyFixedBase: `crypto/native-verify-p256 fixed-base (${b})`,
    nativeMac: `crypto/native-gbcs-mac ${micro.gmacAadBytes} B (${b})`,
    nativeKdf: `crypto/native-gbcs-kdf (${b})`,
    jsMac: `crypto/js-gbcs-mac ${micro.gmacAadBytes} B (${b})`,
  };
}

/** The part of gbcs-native's raw binding used here: the KDF alone. */
interface NativeKdf {
  macKeys(data: Uint8Array, apduStart: Uint32Array, z: Uint8Array, zAt: Uint32Array, out: Uint8Array): void;
}

/**
 * gbcs-native's binding, reached through @gbfleet/gbcs's own dependency on it (the bench does not
 * list gbcs-native itself: that would need a lockfile change), or why not.
 */
async function nativeKdf(): Promise<NativeKdf | string> {
  try {
    const gbcs = import.meta.resolve('@gbfleet/gbcs');
    const entry = createRequire(gbcs).resolve('@gbfleet/gbcs-native');
    const { loadNativeKernel } = (await import(pathToFileURL(entry).href)) as {
      loadNativeKernel(): { ok: true; binding: NativeKdf } | { ok: false; reason: string };
    };
    const load = loadNativeKernel();
    return load.ok ? load.binding : load.reason;
  } catch (error) {
    return `gbcs-native's binding is not reachable from @gbfleet/gbcs: ${(error as Error).message}`;
  }
}

/** The native kernel, asked for by name (GBFLEET_CRYPTO does not matter here), or why it does not load. */
export function nativeKernel(): { kernel: CryptoKernel } | { reason: string } {
  try {
    return { kernel: chooseCryptoKernel('native').kernel };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

const ORIGINATOR = 0x90b3d51f30010000n;
const RECIPIENT = 0x00db100000000001n;
const HEADER = 29;

/** `count` APDUs of `bytes` each, one after another, each with a General Signing header and its own counter. */
function apdus(count: number, bytes: number) {
  const data = new Uint8Array(count * bytes);
  const view = new DataView(data.buffer);
  const start = new Uint32Array(count);
  const end = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * bytes;
    start[i] = at;
    end[i] = at + bytes;
    data[at] = 0xdf;
    data[at + 1] = 0x09;
    data[at + 2] = 1; // CRA: command
    view.setBigUint64(at + 3, 0x1_0000_0000n + BigInt(i));
    data[at + 11] = 0x08;
    view.setBigUint64(at + 12, ORIGINATOR);
    data[at + 20] = 0x08;
    view.setBigUint64(at + 21, RECIPIENT + BigInt(i));
    for (let k = HEADER; k < bytes; k++) data[at + k] = (i * 31 + k * 7) & 0xff;
  }
  return { data, start, end };
}

function offsets(count: number, stride: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => i * stride);
}

function allOnes(results: Uint8Array, what: string): void {
  for (let i = 0; i < results.length; i++) {
    if (results[i] !== 1) throw new Error(`${what} ${i} failed on good input: the bench is wrong`);
  }
}

/**
 * The native figures (sign, verify, fixed-base verify, MAC, KDF), when the addon is built, and the
 * JS kernel's MAC. Every result is checked once against the JS kernel or node:crypto before timing.
 */
export async function runKernelMicro(
  sizes: BenchSizes,
  log: (line: string) => void,
): Promise<{ results: BenchResult[]; nativeMissing?: string }> {
  const micro = sizes.micro;
  const ops = micro.opsPerIteration;
  const n = micro.kernelBatch;
  const names = kernelNames(micro);
  for (const key of ['nativeSign', 'nativeVerify', 'nativeMac', 'nativeKdf', 'jsMac'] as const) {
    if (ops[key] % n !== 0)
      throw new RangeError(`micro.opsPerIteration.${key} = ${ops[key]} is not a multiple of ${n}`);
  }
  const js = chooseCryptoKernel('js').kernel;
  const native = nativeKernel();
  const kdf = 'kernel' in native ? await nativeKdf() : native.reason;

  // Messages: n × signedBytes, one after another.
  const L = micro.signedBytes;
  const message = new Uint8Array(n * L);
  for (let i = 0; i < message.length; i++) message[i] = (i * 131 + 7) & 0xff;
  const mStart = offsets(n, L);
  const mEnd = Uint32Array.from(mStart, (s) => s + L);
  const key = new Uint32Array(n);
  const sig = new Uint8Array(64 * n);
  const sigAt = offsets(n, 64);
  const results = new Uint8Array(n);
  const d = scalarFromSeed('bench-kernel', 'party-ds', ORIGINATOR);
  const point = publicSec1FromScalar(d);

  // MACs: n APDUs of gmacAadBytes, n Zs.
  const apdu = apdus(n, micro.gmacAadBytes);
  const z = new Uint8Array(32 * n);
  for (let i = 0; i < z.length; i++) z[i] = (i * 17 + 3) & 0xff;
  const zAt = offsets(n, 32);
  const mac = new Uint8Array(12 * n);
  const macAt = offsets(n, 12);
  const reference = new Uint8Array(12 * n);
  js.writeMacs(apdu.data, apdu.start, apdu.end, z, zAt, reference, macAt);

  const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
  const perIteration: Record<string, number> = { [names.jsMac]: ops.jsMac };
  let nativeMissing: string | undefined;
  if ('kernel' in native && typeof kdf !== 'string') {
    const k = native.kernel;
    const signers = k.signers([d]);
    const verifiers = k.verifiers([point], { fixedBase: false });
    const fixedBase = k.verifiers([point], { fixedBase: true });
    // Checked once: native signatures verify in node:crypto and in both native tables; the native
    // MACs are the JS kernel's bytes; the KDF is gbcsMacKey's.
    k.sign(signers, key, message, mStart, mEnd, sig, sigAt);
    const publicKey = publicKeyFromSec1(point);
    for (const i of [0, n - 1]) {
      const ok = nodeVerify(
        'sha256',
        message.subarray(mStart[i], mEnd[i]),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        sig.subarray(64 * i, 64 * i + 64),
      );
      if (!ok) throw new Error('a native signature does not verify in node:crypto: the bench is wrong');
    }
    k.verify(verifiers, key, message, mStart, mEnd, sig, sigAt, results);
    allOnes(results, 'native verify');
    k.verify(fixedBase, key, message, mStart, mEnd, sig, sigAt, results);
    allOnes(results, 'native fixed-base verify');
    k.writeMacs(apdu.data, apdu.start, apdu.end, z, zAt, mac, macAt);
    if (Buffer.compare(mac, reference) !== 0) throw new Error('native and JS MACs differ: the bench is wrong');
    const keys = new Uint8Array(16 * n);
    kdf.macKeys(apdu.data, apdu.start, z, zAt, keys);
    const last = n - 1;
    const expected = gbcsMacKey(
      z.subarray(32 * last, 32 * last + 32),
      ORIGINATOR,
      1 as CraFlag,
      0x1_0000_0000n + BigInt(last),
      RECIPIENT + BigInt(last),
    );
    if (Buffer.compare(keys.subarray(16 * last), expected) !== 0) {
      throw new Error('native macKeys differs from gbcsMacKey: the bench is wrong');
    }

    const calls = (total: number) => total / n;
    bench.add(names.nativeSign, () => {
      for (let c = calls(ops.nativeSign); c > 0; c--) k.sign(signers, key, message, mStart, mEnd, sig, sigAt);
    });
    bench.add(names.nativeVerify, () => {
      for (let c = calls(ops.nativeVerify); c > 0; c--) {
        k.verify(verifiers, key, message, mStart, mEnd, sig, sigAt, results);
        allOnes(results, 'native verify');
      }
    });
    bench.add(names.nativeVerifyFixedBase, () => {
      for (let c = calls(ops.nativeVerify); c > 0; c--) {
        k.verify(fixedBase, key, message, mStart, mEnd, sig, sigAt, results);
        allOnes(results, 'native fixed-base verify');
      }
    });
    bench.add(names.nativeMac, () => {
      for (let c = calls(ops.nativeMac); c > 0; c--) k.writeMacs(apdu.data, apdu.start, apdu.end, z, zAt, mac, macAt);
    });
    bench.add(names.nativeKdf, () => {
      for (let c = calls(ops.nativeKdf); c > 0; c--) kdf.macKeys(apdu.data, apdu.start, z, zAt, keys);
    });
    Object.assign(perIteration, {
      [names.nativeSign]: ops.nativeSign,
      [names.nativeVerify]: ops.nativeVerify,
      [names.nativeVerifyFixedBase]: ops.nativeVerify,
      [names.nativeMac]: ops.nativeMac,
      [names.nativeKdf]: ops.nativeKdf,
    });
  } else {
    nativeMissing = typeof kdf === 'string' ? kdf : 'no native kernel';
    log(`micro: no native kernel figures: ${nativeMissing}`);
  }
  bench.add(names.jsMac, () => {
    for (let c = ops.jsMac / n; c > 0; c--) js.writeMacs(apdu.data, apdu.start, apdu.end, z, zAt, mac, macAt);
  });
  await bench.run();
  const out = ratesFromBench(bench, perIteration, 'ops/s', 'micro');
  return nativeMissing === undefined ? { results: out } : { results: out, nativeMissing };
}
