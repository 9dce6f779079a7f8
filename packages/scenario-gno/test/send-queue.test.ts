/** The senders' work list: first in first out at a rate, retries join the back of the line when due. */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { SendQueue } from '../src/index.ts';

test('takes at most the rate per step, in order; retries join the back when due', () => {
  const q = new SendQueue();
  for (const m of [5, 1, 9, 3]) q.enqueue(m);
  assert.deepEqual(q.take(0, 2), [5, 1]);
  q.retryAt(2, 5);
  assert.equal(q.waiting, 3);
  assert.deepEqual(q.take(1, 1), [9]);
  assert.deepEqual(q.take(2, 5), [3, 5]);
  assert.deepEqual(q.take(3, 5), []);
  assert.equal(q.waiting, 0);
});

test('a long line is compacted without losing or reordering anything', () => {
  const q = new SendQueue();
  const n = 200_000;
  for (let m = 0; m < n; m++) q.enqueue(m);
  const seen: number[] = [];
  for (let step = 0; q.waiting > 0; step++) {
    const taken = q.take(step, 30_000);
    seen.push(...taken);
    if (step === 1) q.retryAt(3, -1);
  }
  assert.equal(seen.length, n + 1);
  assert.equal(seen.indexOf(-1), n, 'the retry joined the back of the line, behind every first attempt');
  const rest = seen.filter((m) => m !== -1);
  assert.ok(rest.every((m, i) => m === i));
});

test('clear drops the line and the retries', () => {
  const q = new SendQueue();
  q.enqueue(1);
  q.retryAt(4, 2);
  q.clear();
  assert.equal(q.waiting, 0);
  assert.deepEqual(q.take(4, 10), []);
});

test.run();
