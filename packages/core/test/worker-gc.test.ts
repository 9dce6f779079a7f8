/**
 * The workers' daily garbage collection: every worker collects (N tasks meet at a barrier, so
 * they land on N workers), it answers with the heap each still uses, and outcomes do not depend
 * on whether or how often it runs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { demoPoolOptions } from '../src/demo/signing-demo.js';
import { runScenario } from '../src/engine/run-engine.js';
import { withCryptoPool } from '../src/pool/crypto-pool.js';
import { MemorySink } from '../src/run/memory-sink.js';
import { testScenario } from './helpers/test-scenario.js';

test('every worker collects its garbage and says what it still holds', async () => {
  await withCryptoPool(demoPoolOptions('gc', 2000, 2), async (pool) => {
    await pool.deriveKeys();
    for (let round = 0; round < 3; round++) {
      const heaps = await pool.collectGarbage();
      assert.is(new Set(heaps.map((h) => h.threadId)).size, 2, 'one collection on each worker');
      for (const { heapUsedBytes } of heaps)
        assert.ok(heapUsedBytes > 1_000_000 && heapUsedBytes < 1e9, `${heapUsedBytes}`);
    }
  });
});

test('outcomes are the same with a collection every step, every day and never', async () => {
  const spec = testScenario({ meters: 1500, days: 2 });
  const digests: string[] = [];
  const heaps: Array<number | null> = [];
  for (const workerGcEvery of [1, 0, undefined]) {
    const sink = new MemorySink();
    await runScenario({
      spec,
      workers: 2,
      sink,
      onProgress: (p) => heaps.push(p.workerHeapUsedBytes),
      ...(workerGcEvery === undefined ? {} : { workerGcEvery }),
    });
    digests.push(sink.digest());
  }
  assert.equal(new Set(digests).size, 1);
  assert.ok(
    heaps.some((h) => h !== null && h > 0),
    "the progress carries the workers' heaps",
  );
});

test.run();
