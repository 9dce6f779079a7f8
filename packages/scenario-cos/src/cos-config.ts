/**
 * The `plugins.cos` section of a scenario file: the CoS batches (who switches, from whom, to whom,
 * on which supply start dates), what gaining suppliers do about SR 6.23 (on time, late by a delay
 * distribution, or never — with the reason), the losing supplier's stray commands, and the
 * meter-held schedules of switching meters. Validated here with every problem named (field,
 * value, what is allowed) before anything runs; the result is complete, defaults filled in.
 */
import { quoted, ScenarioError, type ScenarioSpec, SectionReader } from '@gbfleet/core';
import { type DelayDistribution, readDelay } from './delay-distribution.js';

const SECTION = 'plugins.cos';

/** What the gaining supplier does about SR 6.23 after the supply start date. */
export const SR623_SENDS = ['on-time', 'late', 'never'] as const;
export type Sr623Send = (typeof SR623_SENDS)[number];

/** Why SR 6.23 is late or missing (DP072's root causes). */
export const MISSING_REASONS = ['not-registered', 'immature-process', 'erroneous-transfer'] as const;
export type MissingReason = (typeof MISSING_REASONS)[number];

export interface Sr623Outcome {
  /** Share of a batch's meters (a batch's outcomes sum to 1; counts are apportioned exactly). */
  share: number;
  send: Sr623Send;
  /** Why it is late or missing; null when on time. */
  reason: MissingReason | null;
  /** `late`: how long after the supply start date SR 6.23 is sent. */
  delayDays: DelayDistribution | null;
  /** `erroneous-transfer` only: when registration returns to the losing supplier (null: never). */
  returnDays: DelayDistribution | null;
}

export interface CosBatch {
  /** Supply start date of the batch's first meters: day of the run (from 0) and hour. */
  day: number;
  hour: number;
  /** Supply start dates are spread evenly over this many days from `day`. */
  overDays: number;
  /** Losing supplier; null: meters of any supplier but `to`. */
  from: string | null;
  /** Gaining supplier. */
  to: string;
  /** How many meters switch (exactly one of `meters` and `share` is set). */
  meters: number | null;
  /** Share of the eligible meters (registered to `from`, in no earlier batch) that switch. */
  share: number | null;
  sr623: Sr623Outcome[];
}

export interface CosConfig {
  batches: CosBatch[];
  /** A failed SR 6.23 (lost on the WAN, refused) is sent again after `afterHours`, at most `max` times. */
  sr623Retry: { afterHours: number; max: number };
  /** Meter-held schedules given to every switching meter with a WAN; null: the fleet's own apply. */
  meterSchedules: { alertsPerDay: number; readsPerDay: number } | null;
  /** The losing supplier's systems keep commanding a share of its former meters (and get E4). */
  losingSupplier: { commandShare: number; delayDays: DelayDistribution };
  /** Figures per day (alerts and readings to the losing supplier, and the DCC's alert load, on each date) in the summary. */
  perDayFigures: boolean;
}

const DEFAULT_SR623: Sr623Outcome[] = [{ share: 1, send: 'on-time', reason: null, delayDays: null, returnDays: null }];
const DEFAULT_RETRY = { afterHours: 24, max: 3 };
const DEFAULT_LOSING_DELAY: DelayDistribution = { kind: 'uniform', min: 0, max: 14 };

const MAX_BATCHES = 1000;
const MAX_OUTCOMES = 20;
const SHARE_TOLERANCE = 1e-9;

const ROOT_FIELDS = ['batches', 'sr623', 'sr623Retry', 'meterSchedules', 'losingSupplier', 'perDayFigures'];
const BATCH_FIELDS = ['day', 'hour', 'overDays', 'from', 'to', 'meters', 'share', 'sr623'];
const OUTCOME_FIELDS = ['share', 'send', 'reason', 'delayDays', 'returnDays'];

/** The validated section, or null when the scenario has no `plugins.cos`. Throws ScenarioError. */
export function parseCosConfig(spec: ScenarioSpec): CosConfig | null {
  const raw = spec.plugins.cos;
  if (raw === undefined) return null;
  const reader = new SectionReader();
  const config = readConfig(reader, raw, spec);
  if (!config || reader.issues.length > 0) throw new ScenarioError(reader.issues);
  return config;
}

function readConfig(reader: SectionReader, raw: unknown, spec: ScenarioSpec): CosConfig | undefined {
  const root = reader.mapping(raw, SECTION, ROOT_FIELDS);
  if (!root) return undefined;
  const suppliers = spec.fleet.suppliers.map((s) => s.name);
  const fallback =
    root.sr623 === undefined ? DEFAULT_SR623 : (readOutcomes(reader, root.sr623, `${SECTION}.sr623`) ?? DEFAULT_SR623);
  const batchList = reader.list(root.batches, `${SECTION}.batches`, 1, MAX_BATCHES) ?? [];
  const batches = batchList.map((b, i) => readBatch(reader, b, `${SECTION}.batches[${i}]`, spec, suppliers, fallback));
  return {
    batches: batches.filter((b): b is CosBatch => b !== undefined),
    sr623Retry: readRetry(reader, root.sr623Retry),
    meterSchedules: root.meterSchedules === undefined ? null : (readSchedules(reader, root.meterSchedules) ?? null),
    losingSupplier: readLosing(reader, root.losingSupplier),
    perDayFigures: reader.booleanOr(root.perDayFigures, `${SECTION}.perDayFigures`, true),
  };
}

function readBatch(
  reader: SectionReader,
  raw: unknown,
  path: string,
  spec: ScenarioSpec,
  suppliers: string[],
  fallback: Sr623Outcome[],
): CosBatch | undefined {
  const b = reader.mapping(raw, path, BATCH_FIELDS);
  if (!b) return undefined;
  const day =
    typeof b.day === 'number' && Number.isInteger(b.day) && b.day >= 0 && b.day < spec.days
      ? b.day
      : reader.fail(
          `${path}.day`,
          b.day,
          `expected an integer from 0 to ${spec.days - 1} (days count from 0; the run has ${spec.days})`,
        );
  const hour = b.hour === undefined ? 0 : reader.integer(b.hour, `${path}.hour`, 0, 23);
  const overDays = b.overDays === undefined ? 1 : reader.integer(b.overDays, `${path}.overDays`, 1, 3650);
  const to = readSupplier(reader, b.to, `${path}.to`, suppliers);
  const from = b.from === undefined ? null : readSupplier(reader, b.from, `${path}.from`, suppliers);
  if (to !== undefined && from !== undefined && from === to) {
    reader.fail(
      `${path}.from`,
      b.from,
      `expected a supplier other than the gaining supplier (to: ${JSON.stringify(to)})`,
    );
  }
  let meters: number | null | undefined = null;
  let share: number | null | undefined = null;
  if ((b.meters === undefined) === (b.share === undefined)) {
    reader.fail(
      path,
      b.meters ?? b.share,
      'expected exactly one of "meters" (how many switch) and "share" (of the eligible meters)',
    );
  } else if (b.meters !== undefined) {
    const n = spec.fleet.meters;
    meters =
      typeof b.meters === 'number' && Number.isInteger(b.meters) && b.meters >= 1 && b.meters <= n
        ? b.meters
        : reader.fail(`${path}.meters`, b.meters, `expected an integer from 1 to ${n} (the fleet has ${n} meters)`);
  } else {
    share = reader.share(b.share, `${path}.share`);
  }
  const sr623 = b.sr623 === undefined ? fallback : readOutcomes(reader, b.sr623, `${path}.sr623`);
  if (day === undefined || hour === undefined || overDays === undefined || to === undefined) return undefined;
  if (from === undefined || meters === undefined || share === undefined || sr623 === undefined) return undefined;
  return { day, hour, overDays, from, to, meters, share, sr623 };
}

function readSupplier(reader: SectionReader, value: unknown, path: string, suppliers: string[]): string | undefined {
  if (typeof value === 'string' && suppliers.includes(value)) return value;
  const near =
    typeof value === 'string' ? suppliers.find((s) => s.toLowerCase() === value.trim().toLowerCase()) : undefined;
  return reader.fail(
    path,
    value,
    `expected the name of a supplier in fleet.suppliers: ${quoted(suppliers)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
  );
}

function readOutcomes(reader: SectionReader, raw: unknown, path: string): Sr623Outcome[] | undefined {
  const list = reader.list(raw, path, 1, MAX_OUTCOMES);
  if (!list) return undefined;
  const before = reader.issues.length;
  const outcomes = list.map((o, i) => readOutcome(reader, o, `${path}[${i}]`));
  if (reader.issues.length > before) return undefined;
  const valid = outcomes as Sr623Outcome[];
  const sum = valid.reduce((a, o) => a + o.share, 0);
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
    const terms = valid.map((o) => `${o.send} ${o.share}`).join(' + ');
    reader.issues.push({
      path,
      value: raw,
      message: `shares must sum to 1, got ${Number(sum.toPrecision(12))} (${terms})`,
    });
    return undefined;
  }
  return valid;
}

function readOutcome(reader: SectionReader, raw: unknown, path: string): Sr623Outcome | undefined {
  const o = reader.mapping(raw, path, OUTCOME_FIELDS);
  if (!o) return undefined;
  const share = reader.share(o.share, `${path}.share`);
  const send = reader.oneOf(o.send, `${path}.send`, SR623_SENDS);
  let reason: MissingReason | null | undefined = null;
  let delayDays: DelayDistribution | null | undefined = null;
  let returnDays: DelayDistribution | null | undefined = null;
  if (send === 'on-time') {
    for (const field of ['reason', 'delayDays', 'returnDays'] as const) {
      if (o[field] !== undefined)
        reader.fail(`${path}.${field}`, o[field], 'expected nothing: SR 6.23 sent on time has no reason or delay');
    }
  } else if (send !== undefined) {
    reason = reader.oneOf(o.reason, `${path}.reason`, MISSING_REASONS);
    if (send === 'late') delayDays = readDelay(reader, o.delayDays, `${path}.delayDays`);
    else if (o.delayDays !== undefined) {
      reader.fail(`${path}.delayDays`, o.delayDays, 'expected nothing: SR 6.23 that is never sent has no delay');
    }
    if (o.returnDays !== undefined) {
      if (send === 'never' && reason === 'erroneous-transfer') {
        returnDays = readDelay(reader, o.returnDays, `${path}.returnDays`);
      } else {
        reader.fail(
          `${path}.returnDays`,
          o.returnDays,
          'expected nothing: only an erroneous transfer that never gets SR 6.23 (send: never, reason: erroneous-transfer) returns to the losing supplier',
        );
      }
    }
  }
  if (share === undefined || send === undefined || reason === undefined) return undefined;
  if (delayDays === undefined || returnDays === undefined) return undefined;
  return { share, send, reason, delayDays, returnDays };
}

function readRetry(reader: SectionReader, raw: unknown): CosConfig['sr623Retry'] {
  if (raw === undefined) return { ...DEFAULT_RETRY };
  const path = `${SECTION}.sr623Retry`;
  const r = reader.mapping(raw, path, ['afterHours', 'max']);
  if (!r) return { ...DEFAULT_RETRY };
  return {
    afterHours: reader.integerOr(r.afterHours, `${path}.afterHours`, 1, 8760, DEFAULT_RETRY.afterHours),
    max: reader.integerOr(r.max, `${path}.max`, 0, 100, DEFAULT_RETRY.max),
  };
}

function readSchedules(reader: SectionReader, raw: unknown): CosConfig['meterSchedules'] | undefined {
  const path = `${SECTION}.meterSchedules`;
  const s = reader.mapping(raw, path, ['alertsPerDay', 'readsPerDay']);
  if (!s) return undefined;
  const alertsPerDay = reader.integer(s.alertsPerDay, `${path}.alertsPerDay`, 0, 24);
  const readsPerDay = reader.integer(s.readsPerDay, `${path}.readsPerDay`, 0, 24);
  if (alertsPerDay === undefined || readsPerDay === undefined) return undefined;
  if (readsPerDay > alertsPerDay) {
    return reader.fail(`${path}.readsPerDay`, readsPerDay, `expected at most alertsPerDay (${alertsPerDay})`);
  }
  return { alertsPerDay, readsPerDay };
}

function readLosing(reader: SectionReader, raw: unknown): CosConfig['losingSupplier'] {
  const fallback = { commandShare: 0, delayDays: DEFAULT_LOSING_DELAY };
  if (raw === undefined) return fallback;
  const path = `${SECTION}.losingSupplier`;
  const l = reader.mapping(raw, path, ['commandShare', 'delayDays']);
  if (!l) return fallback;
  return {
    commandShare: reader.shareOr(l.commandShare, `${path}.commandShare`, fallback.commandShare),
    delayDays:
      l.delayDays === undefined
        ? DEFAULT_LOSING_DELAY
        : (readDelay(reader, l.delayDays, `${path}.delayDays`) ?? DEFAULT_LOSING_DELAY),
  };
}
