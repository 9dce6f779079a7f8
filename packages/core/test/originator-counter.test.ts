/**
 * The one originator-counter scheme: clock counters rise with the step and outrank any sequence
 * of an earlier step, tracked counters exceed the record, sequences restart each step, and UTRN
 * counters move the meter's issued counter on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  COUNTER_STEP_SHIFT,
  clockCounter,
  issueUtrnCounter,
  MAX_SEQUENCE_PER_STEP,
  StepSequences,
  trackedCounter,
} from '../src/index.ts';

test('clock counters: (step + 1 + lead) · 2^24 + sequence, rising with the step', () => {
  assert.is(clockCounter(0, 0), 1n << COUNTER_STEP_SHIFT);
  assert.is(clockCounter(9, 5), (10n << 24n) + 5n);
  assert.is(clockCounter(9, 5, 3), (13n << 24n) + 5n);
  assert.ok(clockCounter(10, 0) > clockCounter(9, MAX_SEQUENCE_PER_STEP), 'a later step beats any earlier sequence');
  assert.throws(() => clockCounter(0, MAX_SEQUENCE_PER_STEP + 1), /sequence 16777216 is not in 0\.\.16777215/);
  assert.throws(() => clockCounter(-1, 0), /must be integers/);
  assert.throws(() => clockCounter(0, 0, 1.5), /must be integers/);
});

test('tracked counters: the record + the attempt, within 64 bits', () => {
  assert.is(trackedCounter(100n, 1), 101n);
  assert.throws(() => trackedCounter(0n, 1), /recorded counter > 0/);
  assert.throws(() => trackedCounter(5n, 0), /attempt ≥ 1/);
  assert.throws(() => trackedCounter((1n << 64n) - 1n, 1), /does not fit in 64 bits/);
});

test('step sequences: per sender, from 0, restarted each step', () => {
  const sequences = new StepSequences();
  assert.equal([sequences.take(3), sequences.take(3), sequences.take(7), sequences.take(3)], [0, 1, 0, 2]);
  sequences.clear();
  assert.is(sequences.take(3), 0);
});

test('UTRN counters: the meter next by default; a given one has its lower 32 bits zero and moves the meter on', () => {
  const issued = new Uint32Array(2);
  assert.is(issueUtrnCounter(issued, 0, undefined), 1n << 32n);
  assert.is(issueUtrnCounter(issued, 0, undefined), 2n << 32n);
  assert.is(issueUtrnCounter(issued, 1, 9n << 32n), 9n << 32n);
  assert.is(issued[1], 9);
  assert.is(issueUtrnCounter(issued, 1, 4n << 32n), 4n << 32n, 'an older one is sent as given');
  assert.is(issued[1], 9, 'and does not move the meter back');
  assert.throws(() => issueUtrnCounter(issued, 1, (9n << 32n) + 1n), /lower 32 bits zero/);
  issued[0] = 0xffff_ffff;
  assert.throws(() => issueUtrnCounter(issued, 0, undefined), /used up its UTRN counters/);
});

test.run();
