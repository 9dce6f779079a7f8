/**
 * The plan of a run's changes of supplier, made once before step 0: which meters each batch moves,
 * each meter's supply start step, when (if ever) its SR 6.23 is sent and why it is late or missing,
 * when an erroneous transfer returns, and when the losing supplier sends it a stray command.
 * A pure function of (config, the whole fleet's registrations at the start, seeded streams): the
 * same seed gives the same plan, in a whole run and in every segment of it. It is fleet-wide on
 * purpose: shares are apportioned exactly (largest remainder) over a batch's meters, so "1 % never"
 * of 300,000 meters is 3,000, and a batch of `meters: N` takes N of all eligible meters.
 */
import { type FleetState, type RandomStream, WanClass } from '@gbfleet/core';
import type { CosBatch, CosConfig, MissingReason, Sr623Outcome, Sr623Send } from './cos-config.js';
import { MISSING_REASONS, SR623_SENDS } from './cos-config.js';
import { drawSteps } from './delay-distribution.js';
import { CosPlanError } from './errors.js';
import { fleetSized, ownedSlice } from './owned-slice.js';

/** `fate` values: what the gaining supplier does about SR 6.23 (in SR623_SENDS order). */
export const Fate = { OnTime: 0, Late: 1, Never: 2 } as const;
const FATE_OF: Record<Sr623Send, number> = { 'on-time': Fate.OnTime, late: Fate.Late, never: Fate.Never };
export const NOT_PLANNED = -1;

export interface SwitchPlan {
  /** Meters in some batch (over the whole fleet). */
  readonly switching: number;
  /** Per meter (fleet-sized): the party it leaves and the party it joins. */
  readonly losing: Uint16Array;
  readonly gaining: Uint16Array;
  /** Per meter: the step of its supply start date (NOT_PLANNED: in no batch). May lie past the run. */
  readonly startStep: Int32Array;
  /** Per meter: the step its first SR 6.23 is sent (NOT_PLANNED: never). */
  readonly sr623Step: Int32Array;
  /** Per meter: the step its registration returns to the losing supplier (erroneous transfer). */
  readonly returnStep: Int32Array;
  /** Per meter: the step the losing supplier sends it a critical command after the start date. */
  readonly losingCommandStep: Int32Array;
  /** Per meter: Fate, and 1 + index into MISSING_REASONS (0: none). */
  readonly fate: Uint8Array;
  readonly reason: Uint8Array;
  /** Meters per planned outcome over the whole fleet, by figure label ("SR 6.23 late (immature-process)"). */
  readonly planned: ReadonlyMap<string, number>;
}

export interface PlanContext {
  /** The whole fleet as it starts (every meter built): the plan reads its registrations only. */
  fleet: FleetState;
  /** Party index of a supplier named in the config. */
  supplierIndex(name: string): number;
  random(stream: string, entity: number): RandomStream;
  stepAt(day: number, hour: number): number;
  stepsPerDay: number;
}

/** SwitchPlan while it is being filled in. */
type DraftPlan = Omit<SwitchPlan, 'switching' | 'planned'> & { switching: number; planned: Map<string, number> };

export function buildSwitchPlan(config: CosConfig, ctx: PlanContext): SwitchPlan {
  const n = ctx.fleet.meters;
  const plan: DraftPlan = {
    switching: 0,
    losing: new Uint16Array(n),
    gaining: new Uint16Array(n),
    startStep: new Int32Array(n).fill(NOT_PLANNED),
    sr623Step: new Int32Array(n).fill(NOT_PLANNED),
    returnStep: new Int32Array(n).fill(NOT_PLANNED),
    losingCommandStep: new Int32Array(n).fill(NOT_PLANNED),
    fate: new Uint8Array(n),
    reason: new Uint8Array(n),
    planned: new Map<string, number>(),
  };
  const candidates = new Uint32Array(n);
  for (let b = 0; b < config.batches.length; b++) planBatch(plan, config, ctx, b, candidates);
  return plan;
}

/** Batch `b`: its meters, in a random order, each with its start step, SR 6.23 fate and stray command. */
function planBatch(plan: DraftPlan, config: CosConfig, ctx: PlanContext, b: number, candidates: Uint32Array): void {
  const batch = config.batches[b] as CosBatch;
  const to = ctx.supplierIndex(batch.to);
  const from = batch.from === null ? -1 : ctx.supplierIndex(batch.from);
  const eligible = collectEligible(plan, ctx.fleet, from, to, candidates);
  const count = batch.meters ?? Math.round((batch.share ?? 0) * eligible);
  if (count > eligible) {
    const who =
      batch.from === null
        ? `of suppliers other than ${JSON.stringify(batch.to)}`
        : `registered to ${JSON.stringify(batch.from)}`;
    throw new CosPlanError(
      `plugins.cos.batches[${b}].meters: ${count} meters should switch, but the fleet of ${ctx.fleet.meters} has only ${eligible} meters ${who} that are in no earlier batch; lower meters, use share, or enlarge the fleet`,
    );
  }
  const chosen = pickFirst(candidates, eligible, count, ctx.random('cos-batch-meters', b));
  const outcomeOf = shuffledLabels(
    apportion(
      batch.sr623.map((o) => o.share),
      count,
    ),
    ctx.random('cos-batch-sr623', b),
  );
  const losingCommands = sample(
    count,
    Math.round(config.losingSupplier.commandShare * count),
    ctx.random('cos-batch-losing', b),
  );
  const delays = ctx.random('cos-batch-delays', b);
  for (let j = 0; j < count; j++) {
    const outcome = batch.sr623[outcomeOf[j] as number];
    if (!outcome) throw new RangeError('an SR 6.23 outcome index is out of range');
    const start = ctx.stepAt(batch.day + Math.floor((j * batch.overDays) / count), batch.hour);
    planMeter(plan, ctx, chosen[j] as number, { to, start, outcome, delays });
  }
  for (const j of losingCommands) {
    const m = chosen[j] as number;
    plan.losingCommandStep[m] =
      (plan.startStep[m] as number) + drawSteps(config.losingSupplier.delayDays, delays, ctx.stepsPerDay);
  }
  plan.switching += count;
}

/**
 * Eligible meters, written to the front of `candidates` (in meter order); returns how many.
 * Eligible: registered to the losing supplier (any but the gaining one) and in no earlier batch.
 */
function collectEligible(
  plan: DraftPlan,
  fleet: FleetState,
  from: number,
  to: number,
  candidates: Uint32Array,
): number {
  const c = fleet.columns;
  let eligible = 0;
  for (let m = 0; m < fleet.meters; m++) {
    if (plan.startStep[m] !== NOT_PLANNED) continue;
    const registered = c.registeredSupplier[m] as number;
    if (from >= 0 ? registered === from : registered !== to) candidates[eligible++] = m;
  }
  return eligible;
}

/** The first `count` of `candidates[0, eligible)` after a partial Fisher–Yates shuffle (a view). */
function pickFirst(candidates: Uint32Array, eligible: number, count: number, pick: RandomStream): Uint32Array {
  for (let j = 0; j < count; j++) {
    const k = j + pick.nextInt(eligible - j);
    const chosen = candidates[k] as number;
    candidates[k] = candidates[j] as number;
    candidates[j] = chosen;
  }
  return candidates.subarray(0, count);
}

/** One meter of a batch: its parties, start step, SR 6.23 fate and steps. */
function planMeter(
  plan: DraftPlan,
  ctx: PlanContext,
  m: number,
  p: { to: number; start: number; outcome: Sr623Outcome; delays: RandomStream },
): void {
  const { start, outcome } = p;
  const c = ctx.fleet.columns;
  plan.losing[m] = c.registeredSupplier[m] as number;
  plan.gaining[m] = p.to;
  plan.startStep[m] = start;
  plan.fate[m] = FATE_OF[outcome.send];
  plan.reason[m] = outcome.reason === null ? 0 : 1 + MISSING_REASONS.indexOf(outcome.reason);
  if (outcome.send === 'on-time') plan.sr623Step[m] = start;
  else if (outcome.send === 'late' && outcome.delayDays) {
    plan.sr623Step[m] = start + drawSteps(outcome.delayDays, p.delays, ctx.stepsPerDay);
  }
  if (outcome.returnDays) plan.returnStep[m] = start + drawSteps(outcome.returnDays, p.delays, ctx.stepsPerDay);
  const label = outcomeLabel(outcome.send, outcome.reason);
  plan.planned.set(label, (plan.planned.get(label) ?? 0) + 1);
}

/**
 * The plan in a checkpoint: saved, not made again, because a resumed run cannot make it again
 * from its fleet — the registrations it is made from have moved since (supply starts, returns),
 * and a fresh fleet build would miss what a plug-in set up before this one did. Per-meter arrays
 * over the run's own meters only.
 */
export interface SwitchPlanState {
  switching: number;
  planned: Map<string, number>;
  perMeter: Pick<SwitchPlan, PerMeterField>;
}

/** The per-meter fields, each with what another segment's meters read: in no batch. */
const PER_METER_FILL = {
  losing: 0,
  gaining: 0,
  startStep: NOT_PLANNED,
  sr623Step: NOT_PLANNED,
  returnStep: NOT_PLANNED,
  losingCommandStep: NOT_PLANNED,
  fate: 0,
  reason: 0,
} as const;
type PerMeterField = keyof typeof PER_METER_FILL;
const PER_METER_FIELDS = Object.keys(PER_METER_FILL) as PerMeterField[];

export function switchPlanState(plan: SwitchPlan, owned: { lo: number; hi: number }): SwitchPlanState {
  const perMeter = {} as Record<PerMeterField, SwitchPlan[PerMeterField]>;
  for (const field of PER_METER_FIELDS) perMeter[field] = ownedSlice(plan[field], owned);
  return {
    switching: plan.switching,
    planned: new Map(plan.planned),
    perMeter: perMeter as SwitchPlanState['perMeter'],
  };
}

/** The saved plan, fleet-sized again: another segment's meters read as in no batch (never asked). */
export function switchPlanFromState(
  state: SwitchPlanState,
  owned: { lo: number; hi: number },
  meters: number,
): SwitchPlan {
  const perMeter = {} as Record<PerMeterField, SwitchPlan[PerMeterField]>;
  for (const field of PER_METER_FIELDS) {
    perMeter[field] = fleetSized(state.perMeter[field], owned, meters, PER_METER_FILL[field]);
  }
  return { ...(perMeter as SwitchPlanState['perMeter']), switching: state.switching, planned: new Map(state.planned) };
}

/**
 * The meter-held schedule of every planned meter in `owned` with a WAN (one without can send
 * nothing, so it gets none). Written to the run's fleet, never to another segment's meters.
 */
export function giveMeterSchedules(
  schedules: NonNullable<CosConfig['meterSchedules']>,
  plan: SwitchPlan,
  fleet: FleetState,
  owned: { lo: number; hi: number },
): void {
  const c = fleet.columns;
  for (let m = owned.lo; m < owned.hi; m++) {
    if (plan.startStep[m] === NOT_PLANNED) continue;
    const withWan = c.wanClass[m] !== WanClass.None;
    c.scheduleAlertsPerDay[m] = withWan ? schedules.alertsPerDay : 0;
    c.scheduleReadsPerDay[m] = withWan ? schedules.readsPerDay : 0;
  }
}

/** "SR 6.23 on time", "SR 6.23 late (immature-process)", "SR 6.23 never sent (not-registered)". */
export function outcomeLabel(send: Sr623Send, reason: MissingReason | null): string {
  const what = send === 'on-time' ? 'on time' : send === 'late' ? 'late' : 'never sent';
  return `SR 6.23 ${what}${reason ? ` (${reason})` : ''}`;
}

/** Planned outcomes as slots: fate × (1 + reasons) + reason. */
export const OUTCOME_SLOTS = SR623_SENDS.length * (1 + MISSING_REASONS.length);
export const SLOT_LABELS = Array.from({ length: OUTCOME_SLOTS }, (_, slot) => {
  const send = SR623_SENDS[Math.floor(slot / (1 + MISSING_REASONS.length))] ?? 'never';
  const reason = slot % (1 + MISSING_REASONS.length);
  return outcomeLabel(send, reason === 0 ? null : (MISSING_REASONS[reason - 1] ?? null));
});

/** The outcome slot of planned meter `m` (its label is SLOT_LABELS[slot]). */
export function outcomeSlotOf(plan: SwitchPlan, m: number): number {
  return (plan.fate[m] as number) * (1 + MISSING_REASONS.length) + (plan.reason[m] as number);
}

/** Splits `total` into whole counts in proportion to `shares` (largest remainder; ties to the first). */
export function apportion(shares: readonly number[], total: number): number[] {
  const sum = shares.reduce((a, s) => a + s, 0);
  if (sum <= 0) throw new RangeError('apportion needs shares with a positive sum');
  const exact = shares.map((s) => (s / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, x) => a + x, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}

/** counts[k] copies of label k, in a random order. */
function shuffledLabels(counts: readonly number[], random: RandomStream): Uint8Array {
  const total = counts.reduce((a, x) => a + x, 0);
  const labels = new Uint8Array(total);
  let at = 0;
  counts.forEach((count, k) => {
    labels.fill(k, at, at + count);
    at += count;
  });
  for (let i = total - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = labels[i] as number;
    labels[i] = labels[j] as number;
    labels[j] = t;
  }
  return labels;
}

/** k distinct indices of [0, n), in ascending order. */
function sample(n: number, k: number, random: RandomStream): Uint32Array {
  const index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  for (let j = 0; j < k; j++) {
    const r = j + random.nextInt(n - j);
    const t = index[r] as number;
    index[r] = index[j] as number;
    index[j] = t;
  }
  return index.subarray(0, k).sort();
}
