/**
 * Simulated time as the database stores it: batches carry step indexes, and a step is
 * `RunMeta.start + step × stepMinutes` minutes, in UTC. Microseconds, because that is TIMESTAMP's unit.
 */
import type { RunMeta } from '@gbfleet/core';
import type { StepClock } from './column-fill.js';

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date or date-time. A date-time without a zone is
 * read as UTC (not as the machine's local time), so the same scenario gives the same times anywhere.
 */
export function parseUtc(text: string): number | null {
  if (!ISO.test(text)) return null;
  let iso = text.replace(' ', 'T');
  if (iso.length > 10 && !/(?:Z|[+-]\d{2}:\d{2})$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** The clock of a run; `meta` must already be checked (`checkRunMeta`). */
export function stepClockOf(meta: RunMeta): StepClock {
  const ms = parseUtc(meta.start);
  if (ms === null) throw new RangeError(`run start ${JSON.stringify(meta.start)} is not an ISO 8601 timestamp`);
  return { startMicros: BigInt(ms) * 1000n, stepMicros: BigInt(meta.stepMinutes) * 60_000_000n };
}

/** `YYYY-MM-DD` → days since 1970-01-01 (DuckDB's DATE), or null when it is not a real date. */
export function daysOfDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return null;
  return ms / 86_400_000;
}

/** A wall-clock instant as a TIMESTAMP literal DuckDB reads without a time-zone extension. */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
