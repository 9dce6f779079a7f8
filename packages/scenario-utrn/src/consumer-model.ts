/**
 * The consumer at the keypad: how long after a code is issued they sit down to type it (awake
 * hours only), how each attempt slips (per-digit error rate, so 40- and 60-digit codes slip more
 * often than 20-digit ones), and whether they ever type it. Draws come from a per-code seeded
 * stream, so a code's story does not depend on what else happens in the step.
 */
import type { RandomStream } from '@gbfleet/core';
import { encodeAttempt, type Slip, SlipKind } from '@gbfleet/gbcs';
import type { ConsumerModel } from './utrn-config.js';

/** Slip kinds, by share of slips: most are a wrong digit, some a swap, a few a digit left out or doubled. */
const SLIP_SHARES: ReadonlyArray<[Slip['kind'], number]> = [
  [SlipKind.Replace, 0.75],
  [SlipKind.Swap, 0.15],
  [SlipKind.Omit, 0.05],
  [SlipKind.Double, 0.05],
];

/** Hour of day (UTC, fractional) at the start of `step`. */
export type StepClock = (step: number) => number;

export function stepClock(start: string, stepMinutes: number): StepClock {
  const startMs = Date.parse(start);
  const startHour = (((startMs % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000;
  return (step) => (startHour + (step * stepMinutes) / 60) % 24;
}

function awake(model: ConsumerModel, hour: number): boolean {
  const { from, to } = model.awakeHours;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

/** The first step at or after `step` in the consumer's waking hours. */
export function nextAwakeStep(model: ConsumerModel, clock: StepClock, step: number, stepHours: number): number {
  const hour = clock(step);
  if (awake(model, hour)) return step;
  const wait = (((model.awakeHours.from - hour) % 24) + 24) % 24;
  return step + Math.max(1, Math.ceil(wait / stepHours - 1e-9));
}

/** The first waking step at least `hours` (one step at least) after `step`. */
export function awakeAfter(
  model: ConsumerModel,
  clock: StepClock,
  step: number,
  hours: number,
  stepHours: number,
): number {
  return nextAwakeStep(model, clock, step + Math.max(1, Math.ceil(hours / stepHours)), stepHours);
}

/** Steps from issue to the first sitting: exponential with the model's mean, capped; at least one. */
export function entryDelaySteps(model: ConsumerModel, random: RandomStream, stepHours: number): number {
  const { mean, max } = model.entryDelayHours;
  const hours = Math.min(max, -mean * Math.log(1 - random.nextFloat()));
  return Math.max(1, Math.ceil(hours / stepHours));
}

/** Whether the consumer never types this code in at all (more likely the longer it is). */
export function neverEnters(model: ConsumerModel, random: RandomStream, digits: number): boolean {
  return random.nextFloat() < Math.min(1, model.neverEnterShare * (digits / 20));
}

function drawSlip(random: RandomStream, digits: number): Slip {
  const u = random.nextFloat();
  let cumulative = 0;
  let kind: Slip['kind'] = SlipKind.Replace;
  for (const [k, share] of SLIP_SHARES) {
    cumulative += share;
    if (u < cumulative) {
      kind = k;
      break;
    }
  }
  const position = random.nextInt(digits);
  return { kind, position, delta: kind === SlipKind.Replace ? 1 + random.nextInt(9) : 0 };
}

/**
 * One sitting: attempts until one is typed without a slip (0) or the consumer has had
 * `attemptsPerSitting` goes. Whether a slipped attempt is caught is the meter's business.
 */
export function sittingAttempts(model: ConsumerModel, random: RandomStream, digits: number): number[] {
  const slipChance = 1 - (1 - model.digitErrorRate) ** digits;
  const attempts: number[] = [];
  for (let k = 0; k < model.attemptsPerSitting; k++) {
    if (random.nextFloat() >= slipChance) {
      attempts.push(0);
      break;
    }
    const slips = [drawSlip(random, digits)];
    if (random.nextFloat() < model.secondSlipShare) slips.push(drawSlip(random, digits));
    attempts.push(encodeAttempt(slips));
  }
  return attempts;
}
