/**
 * How long something takes, in days: a fixed delay, uniform between two bounds, or exponential
 * with a mean (many short delays, a long tail). A scenario writes `78`, `{ min: 1, max: 30 }` or
 * `{ mean: 7 }`. Draws are turned into whole steps by rounding, so a fixed 78 days is exactly
 * 78 · stepsPerDay steps whatever the step length.
 */
import { isPlainMapping, type RandomStream, type SectionReader } from '@gbfleet/core';

export type DelayDistribution =
  | { kind: 'fixed'; days: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number };

/** Ten years, like the core's longest event. */
const MAX_DELAY_DAYS = 3650;
/** An exponential tail is cut here, so a draw never overflows a step index. */
const EXPONENTIAL_CAP_DAYS = MAX_DELAY_DAYS;

const EXPECTED = `expected a number of days from 0 to ${MAX_DELAY_DAYS}, { min, max } (uniform) or { mean } (exponential)`;

export function readDelay(reader: SectionReader, value: unknown, path: string): DelayDistribution | undefined {
  if (typeof value === 'number') {
    const days = reader.number(value, path, 0, MAX_DELAY_DAYS, 'a number of days');
    return days === undefined ? undefined : { kind: 'fixed', days };
  }
  if (!isPlainMapping(value)) return reader.fail(path, value, EXPECTED);
  if ('mean' in value) {
    const fields = reader.mapping(value, path, ['mean']);
    const mean = reader.number(fields?.mean, `${path}.mean`, 0, MAX_DELAY_DAYS, 'a mean in days');
    if (fields === undefined || mean === undefined) return undefined;
    if (mean === 0) return reader.fail(`${path}.mean`, mean, 'expected a mean greater than 0 (write 0 for no delay)');
    return { kind: 'exponential', mean };
  }
  const fields = reader.mapping(value, path, ['min', 'max']);
  if (!fields) return undefined;
  const min = reader.number(fields.min, `${path}.min`, 0, MAX_DELAY_DAYS, 'a number of days');
  const max = reader.number(fields.max, `${path}.max`, 0, MAX_DELAY_DAYS, 'a number of days');
  if (min === undefined || max === undefined) return undefined;
  if (min > max) return reader.fail(`${path}.max`, max, `expected at least min (${min})`);
  return { kind: 'uniform', min, max };
}

/** One draw, in days. */
export function drawDays(delay: DelayDistribution, random: RandomStream): number {
  switch (delay.kind) {
    case 'fixed':
      return delay.days;
    case 'uniform':
      return delay.min + (delay.max - delay.min) * random.nextFloat();
    case 'exponential':
      // 1 − u is in (0, 1], so the logarithm is finite.
      return Math.min(EXPONENTIAL_CAP_DAYS, -delay.mean * Math.log(1 - random.nextFloat()));
  }
}

/** A draw in whole steps. */
export function drawSteps(delay: DelayDistribution, random: RandomStream, stepsPerDay: number): number {
  return Math.round(drawDays(delay, random) * stepsPerDay);
}
