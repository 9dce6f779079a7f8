/**
 * The run's figures per command set ("arm", see command-sets.ts): counted as things happen, with
 * each arm's resolution times summed as messages resolve, and the last step's off-supply figures,
 * sums and maxima. Every total is counted first at 0, in reading order, because the summary
 * keeps figures in the order they were first counted. A figure counts this run's own meters
 * only and adds up over segments, or is a maximum (RunContext.peak, merged by max): the means
 * and ratios a reader wants are quotients of figures (utrn-figures.ts).
 */
import type { RunContext } from '@gbfleet/core';
import type { OffSupplyTally } from './off-supply-tally.js';
import { messagesAt, type SurgePlan } from './surge-plan.js';
import { ARM_FIGURE, ARMS, armFigure, FIGURE } from './utrn-figures.js';
import type { WanRestoration } from './wan-restoration.js';

export interface ArmFiguresState {
  resolvedSteps: number[];
  maxSteps: number[];
}

export class ArmFigures {
  readonly #run: RunContext;
  readonly #arms: readonly number[];
  readonly #stepHours: number;
  /** Steps from due to resolution per arm, summed and at most: steps, so sums are exact whole numbers. */
  readonly #resolvedSteps = [0, 0];
  readonly #maxSteps = [0, 0];

  constructor(run: RunContext, arms: readonly number[]) {
    this.#run = run;
    this.#arms = arms;
    this.#stepHours = run.spec.stepMinutes / 60;
  }

  /**
   * Counts every total at 0, in reading order, and each arm's meters; at setup only (a resumed
   * run's figures are the checkpoint's). `groups`: each own meter's arm if it is tracked for off
   * supply (CommandSets.trackedGroups).
   */
  open(groups: Uint8Array): void {
    const run = this.#run;
    const arms = this.#arms;
    for (const f of [FIGURE.surgeMessages, FIGURE.mustGoByUtrn, FIGURE.sentByWan, FIGURE.keypadEntries]) {
      run.count(f, 0);
    }
    for (const a of arms) {
      for (const what of [
        ARM_FIGURE.meters,
        ARM_FIGURE.mustGoByUtrn,
        ARM_FIGURE.issued,
        ARM_FIGURE.accepted,
        ARM_FIGURE.undeliverable,
        ARM_FIGURE.visitsNeeded,
        ARM_FIGURE.visitsMade,
      ]) {
        this.arm(a, what, 0);
      }
    }
    const meters = [0, 0];
    for (const g of groups) if (g < meters.length) meters[g] = (meters[g] as number) + 1;
    for (const a of arms) this.arm(a, ARM_FIGURE.meters, meters[a] as number);
  }

  /** The resolution times so far, for a checkpoint (the figures themselves are the engine's). */
  saveState(): ArmFiguresState {
    return { resolvedSteps: [...this.#resolvedSteps], maxSteps: [...this.#maxSteps] };
  }

  restoreState(state: ArmFiguresState): void {
    Object.assign(this.#resolvedSteps, state.resolvedSteps);
    Object.assign(this.#maxSteps, state.maxSteps);
  }

  /** Adds to the figure `what` of arm `arm`. */
  arm(arm: number, what: string, amount = 1): void {
    this.#run.count(armFigure(ARMS[arm] as (typeof ARMS)[number], what), amount);
  }

  /** A message of `arm` resolved `steps` after it was due. */
  resolved(arm: number, steps: number): void {
    this.#resolvedSteps[arm] = (this.#resolvedSteps[arm] as number) + steps;
    this.#maxSteps[arm] = Math.max(this.#maxSteps[arm] as number, steps);
    this.arm(arm, ARM_FIGURE.resolved);
  }

  /**
   * A surge's messages to this run's own meters, and of them those to meters without WAN (they
   * must go by UTRN) in all and per arm; `armOf` gives an own meter's arm. Over all segments,
   * exactly the plan's totals (the DP094 calibration).
   */
  countPlan(plan: SurgePlan, armOf: (meter: number) => number, owned: RunContext['owned']): void {
    const own = [0, 0];
    const mustGo = [0, 0];
    for (const group of [plan.noWan, plan.wan]) {
      for (let p = 0; p < group.meters.length; p++) {
        const meter = group.meters[p] as number;
        if (meter < owned.lo || meter >= owned.hi) continue;
        const messages = messagesAt(group, p);
        const arm = armOf(meter);
        own[arm] = (own[arm] as number) + messages;
        if (group === plan.noWan) mustGo[arm] = (mustGo[arm] as number) + messages;
      }
    }
    this.#run.count(FIGURE.surgeMessages, (own[0] as number) + (own[1] as number));
    this.#run.count(FIGURE.mustGoByUtrn, (mustGo[0] as number) + (mustGo[1] as number));
    for (const a of this.#arms) this.arm(a, ARM_FIGURE.mustGoByUtrn, mustGo[a] as number);
  }

  /** The last step's figures: off supply, resolution times, what is still open, WAN restorations. */
  finish(tally: OffSupplyTally, unresolved: readonly number[], restoration: WanRestoration): void {
    const run = this.#run;
    for (const a of this.#arms) {
      this.arm(a, ARM_FIGURE.offSupplyConsumers, tally.consumers[a] as number);
      this.arm(a, ARM_FIGURE.offSupplyHours, tally.hours[a] as number);
      this.arm(a, ARM_FIGURE.offSupplyAtEnd, tally.atEnd[a] as number);
      this.arm(a, ARM_FIGURE.hoursToResolve, (this.#resolvedSteps[a] as number) * this.#stepHours);
      run.peak(
        armFigure(ARMS[a] as (typeof ARMS)[number], ARM_FIGURE.maxHoursToResolve),
        (this.#maxSteps[a] as number) * this.#stepHours,
      );
      this.arm(a, ARM_FIGURE.unresolved, unresolved[a] as number);
    }
    if (restoration.raised > 0) {
      run.count(FIGURE.hoursToRestore, restoration.totalSteps * this.#stepHours);
      run.peak(FIGURE.maxDaysToRestore, round1((restoration.maxSteps * this.#stepHours) / 24));
    }
  }
}

/** Open items per arm (codes not settled, visits not made), for `finish`. */
export function unresolvedByArm(...lists: Iterable<{ arm: number }>[]): number[] {
  const open = [0, 0];
  for (const list of lists) for (const item of list) open[item.arm] = (open[item.arm] as number) + 1;
  return open;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
