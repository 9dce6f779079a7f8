/** A sender's lines, one per shard: each served at its shard's share of the rate, n counted per shard. */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { ShardSendQueues } from '../src/index.ts';

/** Step `step`'s batch as [meter, n] pairs. */
function batch(q: ShardSendQueues, step: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  q.take(step, (m, n) => out.push([m, n]));
  return out;
}

test('each shard gets its share of the rate, counted from the start step, and numbers its own batch from 0', () => {
  // 30 meters in shards of 20 (meters 0..19) and 10 (20..29); 3 a step in all.
  const q = new ShardSendQueues(3, { meters: 30, shardMeters: 20 }, 5);
  for (let m = 0; m < 30; m++) q.enqueue(m);
  // Shard 0 has 2 a step, shard 1 one: 2/3 of the rate and 1/3.
  assert.deepEqual(batch(q, 5), [
    [0, 0],
    [1, 1],
    [20, 0],
  ]);
  assert.deepEqual(batch(q, 6), [
    [2, 0],
    [3, 1],
    [21, 0],
  ]);
});

test('a fractional rate adds up over steps; retries rejoin their own shard line at the back', () => {
  // 0.5 a step over two equal shards: each sends one every fourth step.
  const q = new ShardSendQueues(0.5, { meters: 8, shardMeters: 4 }, 0);
  for (const m of [0, 1, 4, 5]) q.enqueue(m);
  const sent = [0, 1, 2, 3, 4, 5, 6, 7].map((step) => batch(q, step).map(([m]) => m));
  assert.deepEqual(sent, [[], [], [], [0, 4], [], [], [], [1, 5]]);
  q.retryAt(8, 4);
  const later = [8, 9, 10, 11, 12, 13, 14, 15].flatMap((step) => batch(q, step).map(([m]) => m));
  assert.deepEqual(later, [4], 'shard 0 is empty, and shard 1 sends its retry at its own pace');
});

test("one shard's line never changes what another sends", () => {
  const fleet = { meters: 40, shardMeters: 10 };
  const alone = new ShardSendQueues(8, fleet, 0);
  const crowded = new ShardSendQueues(8, fleet, 0);
  for (let m = 20; m < 30; m++) alone.enqueue(m);
  for (let m = 0; m < 40; m++) crowded.enqueue(m);
  for (let step = 0; step < 6; step++) {
    const own = batch(crowded, step).filter(([m]) => m >= 20 && m < 30);
    assert.deepEqual(own, batch(alone, step), `step ${step}`);
  }
});

test('clear drops every line and its retries', () => {
  const q = new ShardSendQueues(10, { meters: 20, shardMeters: 10 }, 0);
  q.enqueue(3);
  q.enqueue(13);
  q.retryAt(2, 13);
  q.clear();
  assert.deepEqual(batch(q, 0), []);
  assert.deepEqual(batch(q, 2), []);
});

test.run();
