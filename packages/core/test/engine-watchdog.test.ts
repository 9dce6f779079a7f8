/**
 * A hung worker fails the run instead of stopping it forever: a worker made to spin at shard 1,
 * step 3 (GBFLEET_FAULT_HANG) is caught by the watchdog, the run rejects with GBF_WORKER_HUNG
 * naming the shard and the step, and the rows of the steps before it are kept.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from '../src/engine/run-engine.js';
import { ShardWatchdog } from '../src/engine/shard-watchdog.js';
import { MemorySink } from '../src/run/memory-sink.js';
import { testScenario } from './helpers/test-scenario.js';

const codeOf = (error: unknown) => (error as { code?: string }).code;

test('the adaptive limit: a task far slower than its peers is hung; a slow step that all share is not', async () => {
  const watchdog = new ShardWatchdog({ factor: 5, floorMs: 60, checkEveryMs: 10 });
  const after = (ms: number) => () => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms));
  // Every task slow alike: no task is 5 × its peers.
  assert.equal(
    await watchdog.watch(
      0,
      [0, 1, 2].map((shard) => ({ shard, run: after(150) })),
      async () => {},
    ),
    [150, 150, 150],
  );
  let stopped = false;
  const hung = watchdog.watch(
    1,
    [
      { shard: 0, run: after(20) },
      { shard: 1, run: after(20) },
      { shard: 2, run: () => new Promise<number>(() => {}) },
    ],
    async () => {
      stopped = true;
    },
  );
  const error = await hung.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.equal(codeOf(error), 'GBF_WORKER_HUNG');
  assert.match(
    String((error as Error).message),
    /shard 2 at step 1 has run for .* over its limit .*5 × the 0\.02 s median of this step's other shards/,
  );
  assert.ok(stopped, 'the workers were stopped');
});

test('a configured limit wins over the median; a single shard is judged by the last step', async () => {
  const fixed = new ShardWatchdog({ limitMs: 50, checkEveryMs: 10 });
  const error = await fixed
    .watch(7, [{ shard: 4, run: () => new Promise<void>((r) => setTimeout(r, 500)) }], async () => {})
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.match(String((error as Error).message), /shard 4 at step 7 .*\(the configured --task-timeout\)/);
  const alone = new ShardWatchdog({ factor: 4, floorMs: 40, checkEveryMs: 10 });
  await alone.watch(0, [{ shard: 0, run: () => new Promise<void>((r) => setTimeout(r, 15)) }], async () => {});
  const late = await alone
    .watch(1, [{ shard: 0, run: () => new Promise<void>(() => {}) }], async () => {})
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.match(String((late as Error).message), /4 × the 0\.0\d s median of the last step's shards/);
});

test('a worker hung at shard 1, step 3 fails the run with GBF_WORKER_HUNG; the steps before it are kept', async () => {
  const spec = testScenario({ meters: 1500, days: 1 });
  spec.fleet.shardMeters = 500;
  const reference = new MemorySink();
  await runScenario({ spec: { ...spec, days: 1 }, workers: 2, sink: reference });
  process.env.GBFLEET_FAULT_HANG = '1@3';
  const sink = new MemorySink();
  const started = performance.now();
  try {
    const error = await runScenario({
      spec,
      workers: 2,
      sink,
      watchdog: { floorMs: 500, checkEveryMs: 50 },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(codeOf(error), 'GBF_WORKER_HUNG');
    assert.match(String((error as Error).message), /^shard 1 at step 3 has run for/);
  } finally {
    delete process.env.GBFLEET_FAULT_HANG;
  }
  assert.ok(performance.now() - started < 60_000, 'the run ended rather than hanging');
  assert.equal(sink.count('meters'), 1500);
  // Steps 0–2 are kept: the same commands as the unhurt run's first three steps.
  const early = (rows: string[]) => rows.filter((r) => Number(r.split(',')[0]) < 3).sort();
  assert.equal(early(sink.tables.commands ?? []), early(reference.tables.commands ?? []));
});

test.run();
