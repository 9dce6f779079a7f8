/**
 * The leaves of the scenario schema: numbers, shares, names, seeds and start times, each with
 * its own "expected …" text, and the small cross-field checks the sections share (shares that
 * sum to 1, unique names). Also the limits every part of the schema agrees on.
 */
import * as z from 'zod';

/** Step lengths the clock supports: each divides a day, so every day has whole steps. */
export const STEP_MINUTES = [15, 30, 60, 120, 180, 240, 360, 720, 1440] as const;
export const CORE_EVENT_TYPES = ['weather-surge', 'dcc-outage', 'supplier-fails'] as const;
export const MAX_METERS = 50_000_000;
export const MAX_DAYS = 3650;
export const SCENARIO_SCHEMA_ID = 'urn:gbfleet:scenario-schema';
/** Shares are decimals typed by people: 0.1 + 0.2 must still count as 0.3. */
export const SHARE_TOLERANCE = 1e-9;
export const MAX_EVENT_HOURS = MAX_DAYS * 24;
export const DEFAULT_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// Leaves. Each carries its own "expected …" text; toScenarioIssues puts "got <value>, " before it.

export const numberIn = (min: number, max: number, what = 'a number') =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .min(min)
    .max(max);
export const integerIn = (min: number, max: number) =>
  z
    .number({ error: `expected an integer from ${min} to ${max}` })
    .int()
    .min(min)
    .max(max);
export const share = () => numberIn(0, 1, 'a share');
export const flag = () => z.boolean({ error: 'expected true or false' });
export const partyName = () =>
  z.string({ error: 'expected a non-empty name of at most 100 characters' }).trim().min(1).max(100);

/** The longest seed, in characters (after trimming), in a scenario file or on the command line. */
export const SEED_MAX_LENGTH = 200;
export const SEED_EXPECTED = `expected a non-empty string of at most ${SEED_MAX_LENGTH} characters or a whole number`;
export const START_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;
export const START_EXPECTED = 'expected a UTC date-time like 2026-01-05T00:00:00Z (or a date like 2026-01-05)';

/** `2026-01-05` or `2026-01-05T06:00Z` → `2026-01-05T06:00:00Z`; undefined if no such instant. */
export function normaliseStart(text: string): string | undefined {
  const m = START_PATTERN.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = m.slice(1) as string[];
  const wanted = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that (and years before 100).
  return Number.isFinite(ms) && new Date(ms).toISOString().replace('.000Z', 'Z') === wanted ? wanted : undefined;
}

export function sumsToOne(parts: Array<[label: string, share: number]>, ctx: z.core.$RefinementCtx<unknown>): void {
  const sum = parts.reduce((total, [, s]) => total + s, 0);
  if (Math.abs(sum - 1) <= SHARE_TOLERANCE) return;
  const terms = parts.map(([label, s]) => `${label} ${s}`).join(' + ');
  ctx.addIssue({ code: 'custom', message: `shares must sum to 1, got ${Number(sum.toPrecision(12))} (${terms})` });
}

/** A group of shares that must sum to 1; each member has its own default. */
export function shareGroup<K extends string>(
  members: Record<K, [fallback: number, description: string]>,
): z.ZodType<Record<K, number>, Partial<Record<K, number>> | undefined> {
  const shape: Record<string, z.ZodDefault<z.ZodNumber>> = {};
  for (const [key, [fallback, description]] of Object.entries<[number, string]>(members)) {
    shape[key] = share().default(fallback).describe(description);
  }
  const group = z
    .strictObject(shape)
    .superRefine((g, ctx) => sumsToOne(Object.entries(g), ctx))
    .prefault({});
  // The shape was built key by key, so zod only sees Record<string, …>; the keys are K.
  return group as unknown as z.ZodType<Record<K, number>, Partial<Record<K, number>> | undefined>;
}

/** `{ min, max }` with defaults and min ≤ max. */
export function rangeOf(leaf: () => z.ZodNumber, min: number, max: number) {
  return z
    .strictObject({ min: leaf().default(min), max: leaf().default(max) })
    .superRefine((r, ctx) => {
      if (r.min > r.max)
        ctx.addIssue({ code: 'custom', message: `got min ${r.min} and max ${r.max}, expected min ≤ max` });
    })
    .prefault({});
}

/** Names must be unique (ignoring case, so "aurora" cannot shadow "Aurora"). */
export function uniqueNames(
  list: ReadonlyArray<{ name: string }>,
  where: string,
  ctx: z.core.$RefinementCtx<unknown>,
): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const key = item.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `got ${JSON.stringify(item.name)}, expected a name not used before (${where}[${first}] has it)`,
      });
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
