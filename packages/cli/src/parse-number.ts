/**
 * Flag values as numbers, with messages that name the flag, the value and what is allowed.
 */
import { UsageError } from './errors.js';

/** An integer flag in [min, max]; accepts `_` and `,` as digit separators (`--meters 5_000_000`). */
export function parseCount(
  flag: string,
  value: string | boolean | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d[\d_,]*$/.test(value)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a whole number: use an integer from ${min} to ${max}`,
    );
  }
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} ${value} is out of range: use an integer from ${min} to ${max}`);
  }
  return n;
}
