/**
 * DCC planned maintenance as DP092 describes it: windows between 20:00 and 08:00, at most six
 * hours each, at most one high-impact and three low-impact windows a calendar month. Windows come
 * from `dcc-maintenance` events (checked against those rules) and, when `plugins.utrn.maintenance`
 * asks, are generated for every month the run touches on distinct nights (seeded, so a scenario
 * and seed always give the same windows). Times are UTC (GMT in winter).
 */
import { randomStream, ScenarioError, type ScenarioIssue, type ScenarioSpec } from '@gbfleet/core';
import type { MaintenanceEventSpec, MaintenanceImpact, UtrnConfig } from './utrn-config.js';

type MaintenanceRules = NonNullable<UtrnConfig['maintenance']>;

export interface MaintenanceWindow {
  /** First step of the window and how many steps it covers. */
  startStep: number;
  steps: number;
  hours: number;
  impact: MaintenanceImpact;
  /** Index in spec.events, or null when generated. */
  event: number | null;
}

const EVENING = 20 * 60;
const MORNING = 8 * 60;
const DAY_MS = 86_400_000;
export const MAX_HIGH_PER_MONTH = 1;
export const MAX_LOW_PER_MONTH = 3;

/** Whether a window starting at `minuteOfDay` (UTC) and lasting `hours` lies within 20:00–08:00. */
export function withinNight(minuteOfDay: number, hours: number): boolean {
  const end = minuteOfDay + hours * 60;
  if (minuteOfDay >= EVENING) return end <= 24 * 60 + MORNING;
  return end <= MORNING;
}

/** The night a window belongs to: the evening it starts on (an after-midnight start: the day before). */
function nightOf(ms: number): number {
  return Math.floor((ms - (ms % DAY_MS < MORNING * 60_000 ? DAY_MS : 0)) / DAY_MS);
}

function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Every maintenance window of the run, in start order. Throws ScenarioError for DP092 breaches. */
export function planMaintenance(config: UtrnConfig, spec: ScenarioSpec): MaintenanceWindow[] {
  const plan = new WindowPlan(spec);
  const issues = addEventWindows(plan, config.maintenanceEvents, spec);
  if (issues.length > 0) throw new ScenarioError(issues);
  if (config.maintenance) addGeneratedWindows(plan, config.maintenance, spec);
  return plan.windows.sort(
    (a, b) => a.startStep - b.startStep || (a.impact === b.impact ? 0 : a.impact === 'high' ? -1 : 1),
  );
}

/** The windows planned so far, with what each month and night already holds. */
class WindowPlan {
  readonly windows: MaintenanceWindow[] = [];
  /** Nights (nightOf) that hold a window, generated windows outside the run included. */
  readonly nights = new Set<number>();
  readonly startMs: number;
  readonly endMs: number;
  readonly #stepMs: number;
  readonly #stepMinutes: number;
  readonly #used = new Map<string, { high: number; low: number }>();

  constructor(spec: ScenarioSpec) {
    this.startMs = Date.parse(spec.start);
    this.endMs = this.startMs + spec.days * DAY_MS;
    this.#stepMs = spec.stepMinutes * 60_000;
    this.#stepMinutes = spec.stepMinutes;
  }

  /** Windows of each impact in the month `key` (YYYY-MM) so far. */
  month(key: string): { high: number; low: number } {
    let c = this.#used.get(key);
    if (!c) {
      c = { high: 0, low: 0 };
      this.#used.set(key, c);
    }
    return c;
  }

  add(ms: number, hours: number, impact: MaintenanceImpact, event: number | null): void {
    const startStep = Math.floor((ms - this.startMs) / this.#stepMs);
    const steps = Math.max(1, Math.ceil((hours * 60) / this.#stepMinutes));
    this.windows.push({ startStep, steps, hours, impact, event });
    this.nights.add(nightOf(ms));
  }
}

/** The `dcc-maintenance` events' windows; the issues of those that break DP092 (left out). */
function addEventWindows(
  plan: WindowPlan,
  events: readonly MaintenanceEventSpec[],
  spec: ScenarioSpec,
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const e of events) {
    const ms = plan.startMs + e.day * DAY_MS + e.hour * 3_600_000;
    const minute = Math.floor((ms % DAY_MS) / 60_000);
    const path = `events[${e.event}]`;
    if (!withinNight(minute, e.hours)) {
      const at = new Date(ms).toISOString().slice(11, 16);
      issues.push({
        path,
        value: spec.events[e.event]?.params,
        message: `a ${e.hours}-hour window from ${at} UTC does not lie within 20:00–08:00 (DP092): start at 20:00 or later and end by 08:00`,
      });
      continue;
    }
    const c = plan.month(monthKey(ms));
    if (e.impact === 'high' ? c.high >= MAX_HIGH_PER_MONTH : c.low >= MAX_LOW_PER_MONTH) {
      issues.push({
        path,
        value: spec.events[e.event]?.params,
        message: `${monthKey(ms)} already has ${e.impact === 'high' ? `${MAX_HIGH_PER_MONTH} high-impact window` : `${MAX_LOW_PER_MONTH} low-impact windows`}: DP092 allows no more in a month`,
      });
      continue;
    }
    if (e.impact === 'high') c.high++;
    else c.low++;
    plan.add(ms, e.hours, e.impact, e.event);
  }
  return issues;
}

/** Tops every month the run touches up to the rules' windows, each on a night not yet used (seeded). */
function addGeneratedWindows(plan: WindowPlan, rules: MaintenanceRules, spec: ScenarioSpec): void {
  const starts = allowedStartHours(rules.hours);
  const first = new Date(plan.startMs);
  let year = first.getUTCFullYear();
  let month = first.getUTCMonth();
  for (;;) {
    const monthStart = Date.UTC(year, month, 1);
    if (monthStart >= plan.endMs) break;
    const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const c = plan.month(monthKey(monthStart));
    const random = randomStream(spec.seed, 'utrn-maintenance', year * 12 + month);
    const wanted: MaintenanceImpact[] = [
      ...Array<MaintenanceImpact>(Math.max(0, rules.highImpactPerMonth - c.high)).fill('high'),
      ...Array<MaintenanceImpact>(Math.max(0, rules.lowImpactPerMonth - c.low)).fill('low'),
    ];
    for (const impact of wanted) {
      // A start in this month (a window counts in the month it starts), on a night not yet
      // used: a month has far more nights than windows.
      let ms = 0;
      for (let tries = 0; tries < 100; tries++) {
        const day = Math.floor(monthStart / DAY_MS) + random.nextInt(daysInMonth);
        const hour = starts[random.nextInt(starts.length)] as number;
        ms = day * DAY_MS + hour * 3_600_000;
        if (!plan.nights.has(nightOf(ms))) break;
      }
      if (impact === 'high') c.high++;
      else c.low++;
      if (ms >= plan.startMs && ms < plan.endMs) plan.add(ms, rules.hours, impact, null);
      else plan.nights.add(nightOf(ms));
    }
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
}

/** Start hours (UTC) from which a window of `hours` stays within 20:00–08:00. */
export function allowedStartHours(hours: number): number[] {
  const out: number[] = [];
  for (const h of [20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7]) if (withinNight(h * 60, hours)) out.push(h);
  return out;
}
