/**
 * The DCC's no-WAN incident resolution: when an incident is raised for a meter without WAN, its
 * WAN comes back after a delay — within `maxDays` for `withinShare` of meters (the DCC's 90-day,
 * 99 % obligation), later for the rest. Restoring writes `fleet.columns.wanClass` between steps,
 * so the DCC model and the vending engine see the meter reachable from the next command on.
 */
import { meterRandom, type RunContext, seedKey, WanClass } from '@gbfleet/core';
import type { ResolutionSpec } from './utrn-config.js';

const STREAM_SELECT = 1101;
const STREAM_LATE = 1102;
const STREAM_DELAY = 1103;

/** Everything the restoration holds, for a checkpoint: the restorations due, each incident's meter data, the sums. */
export interface WanRestorationState {
  due: Map<number, number[]>;
  raisedAt: Map<number, number>;
  to: Map<number, number>;
  raised: number;
  restored: number;
  totalSteps: number;
  maxSteps: number;
}

export class WanRestoration {
  readonly #due = new Map<number, number[]>();
  readonly #raisedAt = new Map<number, number>();
  readonly #to = new Map<number, number>();
  raised = 0;
  restored = 0;
  /** Sum and maximum of steps from incident to restoration, over the meters restored so far. */
  totalSteps = 0;
  maxSteps = 0;

  /**
   * Raises incidents for the share of this run's own meters without WAN (none already raised):
   * each meter's by its own draws; schedules each restoration.
   */
  raise(spec: ResolutionSpec, run: RunContext): number {
    const c = run.fleet.columns;
    const key = seedKey(run.spec.seed);
    const stepHours = run.spec.stepMinutes / 60;
    const to = spec.to === 'good' ? WanClass.Good : WanClass.Intermittent;
    let n = 0;
    for (let m = run.owned.lo; m < run.owned.hi; m++) {
      if (c.wanClass[m] !== WanClass.None || this.#raisedAt.has(m)) continue;
      if (meterRandom(key, STREAM_SELECT, m, spec.event) >= spec.share) continue;
      const late = meterRandom(key, STREAM_LATE, m, spec.event) >= spec.withinShare;
      const u = 1 - meterRandom(key, STREAM_DELAY, m, spec.event); // (0, 1]
      const days = late ? spec.maxDays + u * (spec.lateMaxDays - spec.maxDays) : u * spec.maxDays;
      const at = run.step + Math.max(1, Math.ceil((days * 24) / stepHours));
      const list = this.#due.get(at);
      if (list) list.push(m);
      else this.#due.set(at, [m]);
      this.#raisedAt.set(m, run.step);
      this.#to.set(m, to);
      n++;
    }
    this.raised += n;
    return n;
  }

  saveState(): WanRestorationState {
    return {
      due: new Map([...this.#due].map(([step, meters]) => [step, [...meters]])),
      raisedAt: new Map(this.#raisedAt),
      to: new Map(this.#to),
      raised: this.raised,
      restored: this.restored,
      totalSteps: this.totalSteps,
      maxSteps: this.maxSteps,
    };
  }

  restoreState(state: WanRestorationState): void {
    for (const [step, meters] of state.due) this.#due.set(step, [...meters]);
    for (const [m, step] of state.raisedAt) this.#raisedAt.set(m, step);
    for (const [m, to] of state.to) this.#to.set(m, to);
    this.raised = state.raised;
    this.restored = state.restored;
    this.totalSteps = state.totalSteps;
    this.maxSteps = state.maxSteps;
  }

  /** Restores the meters due at this step; returns them. */
  restoreDue(run: RunContext): number[] {
    const due = this.#due.get(run.step);
    if (!due) return [];
    this.#due.delete(run.step);
    const c = run.fleet.columns;
    for (const m of due) {
      c.wanClass[m] = this.#to.get(m) ?? WanClass.Good;
      const steps = run.step - (this.#raisedAt.get(m) ?? run.step);
      this.totalSteps += steps;
      this.maxSteps = Math.max(this.maxSteps, steps);
    }
    this.restored += due.length;
    return due;
  }
}
