import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planBatches } from '../src/pool/batch-plan.ts';

test('groups by shard in shard order, keeps input order, cuts at maxBatch', () => {
  const devices = Uint32Array.of(15, 2, 11, 3, 0, 12, 1, 4);
  const plan = planBatches(devices, 10, 2);
  assert.equal(
    plan.map((e) => [e.shard, [...e.positions]]),
    [
      [0, [1, 3]],
      [0, [4, 6]],
      [0, [7]],
      [1, [0, 2]],
      [1, [5]],
    ],
  );
});

test('every position appears exactly once', () => {
  const devices = Uint32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 5000);
  const plan = planBatches(devices, 333, 64);
  const seen = plan.flatMap((e) => [...e.positions]).sort((a, b) => a - b);
  assert.equal(seen, [...devices.keys()]);
  for (const e of plan) assert.ok(e.positions.length <= 64);
});

test('rejects bad sizes with a message', () => {
  assert.throws(() => planBatches(new Uint32Array(1), 0, 1), /shardSize/);
  assert.throws(() => planBatches(new Uint32Array(1), 1, 1.5), /maxBatch/);
});

test.run();
