/**
 * The consumer: slips per digit (longer codes slip more), attempts end at the first clean one,
 * codes are typed in waking hours only, delays are capped, and the draws are a code's own.
 */
import { randomStream } from '@gbfleet/core';
import { decodeAttempt } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { entryDelaySteps, neverEnters, nextAwakeStep, sittingAttempts, stepClock } from '../src/consumer-model.ts';
import type { ConsumerModel } from '../src/utrn-config.ts';

const MODEL: ConsumerModel = {
  entryDelayHours: { mean: 6, max: 72 },
  awakeHours: { from: 7, to: 23 },
  digitErrorRate: 0.004,
  secondSlipShare: 0.25,
  attemptsPerSitting: 3,
  sittings: 2,
  retryAfterHours: 6,
  neverEnterShare: 0.02,
};

test('slips: about 1 − 0.996^digits of attempts, more for longer codes; a sitting ends at a clean attempt', () => {
  for (const digits of [20, 40, 60]) {
    const random = randomStream('t', 'sitting', digits);
    let attempts = 0;
    let slipped = 0;
    let doubles = 0;
    for (let i = 0; i < 20_000; i++) {
      const sitting = sittingAttempts(MODEL, random, digits);
      assert.ok(sitting.length >= 1 && sitting.length <= 3);
      sitting.forEach((a, k) => {
        const slips = decodeAttempt(a);
        if (!slips) throw new Error('a valid attempt');
        if (k < sitting.length - 1) assert.ok(slips.length > 0, 'only the last attempt may be clean');
        for (const s of slips) assert.ok(s.position < digits);
        attempts++;
        if (slips.length > 0) slipped++;
        if (slips.length === 2) doubles++;
      });
    }
    const expected = 1 - 0.996 ** digits;
    assert.ok(Math.abs(slipped / attempts - expected) < 0.01, `${digits} digits: ${slipped / attempts} vs ${expected}`);
    assert.ok(Math.abs(doubles / slipped - 0.25) < 0.03);
  }
  const perfect = { ...MODEL, digitErrorRate: 0 };
  assert.equal(sittingAttempts(perfect, randomStream('t', 's', 0), 60), [0]);
  const hopeless = { ...MODEL, digitErrorRate: 0.5 };
  assert.is(sittingAttempts(hopeless, randomStream('t', 's', 0), 60).length, 3);
});

test('waking hours: a code due at night waits for the morning', () => {
  const clock = stepClock('2018-03-01T00:00:00Z', 60);
  assert.is(clock(25), 1);
  assert.is(nextAwakeStep(MODEL, clock, 10, 1), 10);
  assert.is(nextAwakeStep(MODEL, clock, 23, 1), 31, '23:00 → 07:00 next day');
  assert.is(nextAwakeStep(MODEL, clock, 2, 1), 7);
  const quarter = stepClock('2018-03-01T06:30:00Z', 15);
  assert.is(nextAwakeStep(MODEL, quarter, 0, 0.25), 2, '06:30 → 07:00');
  const nightOwl = { ...MODEL, awakeHours: { from: 20, to: 4 } };
  assert.is(nextAwakeStep(nightOwl, clock, 2, 1), 2);
  assert.is(nextAwakeStep(nightOwl, clock, 10, 1), 20);
});

test('delays: at least a step, capped, mean about as asked; never-typed grows with length', () => {
  const random = randomStream('t', 'delay', 0);
  let sum = 0;
  for (let i = 0; i < 20_000; i++) {
    const d = entryDelaySteps(MODEL, random, 1);
    assert.ok(d >= 1 && d <= 72);
    sum += d;
  }
  assert.ok(Math.abs(sum / 20_000 - 6.5) < 0.3, `mean ${sum / 20_000}`);
  const count = (digits: number) => {
    const r = randomStream('t', 'never', digits);
    let n = 0;
    for (let i = 0; i < 20_000; i++) if (neverEnters(MODEL, r, digits)) n++;
    return n / 20_000;
  };
  assert.ok(Math.abs(count(20) - 0.02) < 0.005);
  assert.ok(Math.abs(count(60) - 0.06) < 0.008);
});

test.run();
