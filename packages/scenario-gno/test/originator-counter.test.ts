/** The counter schemes: clock counters rise with the step, a lead puts them ahead, tracking exceeds the record. */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { COUNTER_STEP_SHIFT, clockCounter, hoursToSteps, trackedCounter } from '../src/index.ts';

test('clock counters: (step + 1 + lead) · 2^24 + sequence, rising with the step', () => {
  assert.equal(clockCounter(0, 0), 1n << COUNTER_STEP_SHIFT);
  assert.equal(clockCounter(9, 5), (10n << 24n) + 5n);
  assert.equal(clockCounter(9, 5, 3), (13n << 24n) + 5n);
  // A later step always beats any sequence number of an earlier one.
  assert.ok(clockCounter(10, 0) > clockCounter(9, (1 << 24) - 1));
  // A GNO whose clock runs 4 steps ahead is beaten only 5 steps later.
  assert.ok(clockCounter(14, 0) < clockCounter(10, 0, 4) + 1n);
  assert.ok(clockCounter(15, 0) > clockCounter(10, (1 << 24) - 1, 4));
});

test('clock counters refuse what does not fit the layout', () => {
  assert.throws(() => clockCounter(0, 1 << 24), /sequence 16777216 is not in 0\.\.16777215/);
  assert.throws(() => clockCounter(-1, 0), /must be integers/);
  assert.throws(() => clockCounter(0, 0, 1.5), /must be integers/);
  assert.throws(() => clockCounter(0, Number.NaN), /sequence NaN/);
});

test('tracked counters: the recorded counter + the attempt, strictly greater, never repeated', () => {
  const recorded = clockCounter(100, 7, 87_600);
  assert.equal(trackedCounter(recorded, 1), recorded + 1n);
  assert.equal(trackedCounter(recorded, 3), recorded + 3n);
  assert.throws(() => trackedCounter(0n, 1), /recorded counter > 0/);
  assert.throws(() => trackedCounter(5n, 0), /attempt ≥ 1/);
  assert.throws(() => trackedCounter((1n << 64n) - 1n, 1), /does not fit in 64 bits/);
});

test('hours to steps: delays round up, clock leads to the nearest step', () => {
  assert.equal(hoursToSteps(24, 60), 24);
  assert.equal(hoursToSteps(1, 120), 1);
  assert.equal(hoursToSteps(1, 120, 'nearest'), 1);
  assert.equal(hoursToSteps(5, 1440, 'nearest'), 0);
  assert.equal(hoursToSteps(13, 1440, 'nearest'), 1);
});

test.run();
