/**
 * The run's figures per command set ("arm", see command-sets.ts): counted as things happen, with
 * each arm's resolution times summed as messages resolve, and the last step's off-supply figures,
 * means and maxima. Every total is counted first at 0, in reading order, because the summary
 * keeps figures in the order they were first counted.
 */
import type { RunContext } from '@gbfleet/core';
import type { OffSupplyTally } from './off-supply-tally.js';
import type { SurgePlan } from './surge-plan.js';
import { ARM_FIGURE, ARMS, armFigure, FIGURE } from './utrn-figures.js';
import type { WanRestoration } from './wan-restoration.js';

export class ArmFigures {
  readonly #count: RunContext['count'];
  readonly #arms: readonly number[];
  readonly #stepHours: number;
  /** Prepayment meters without WAN at the start, per arm: what "per 1,000" figures divide by. */
  readonly #meters = [0, 0];
  readonly #resolved = [0, 0];
  readonly #resolvedHours = [0, 0];
  readonly #maxHours = [0, 0];

  /** `groups`: each meter's arm if it is tracked for off supply (CommandSets.trackedGroups). */
  constructor(run: RunContext, arms: readonly number[], groups: Uint8Array) {
    this.#count = run.count;
    this.#arms = arms;
    this.#stepHours = run.spec.stepMinutes / 60;
    for (const f of [FIGURE.surgeMessages, FIGURE.mustGoByUtrn, FIGURE.sentByWan, FIGURE.keypadEntries]) {
      this.#count(f, 0);
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
    for (const g of groups) if (g < this.#meters.length) this.#meters[g] = (this.#meters[g] as number) + 1;
    for (const a of arms) this.arm(a, ARM_FIGURE.meters, this.#meters[a] as number);
  }

  /** Adds to the figure `what` of arm `arm`. */
  arm(arm: number, what: string, amount = 1): void {
    this.#count(armFigure(ARMS[arm] as (typeof ARMS)[number], what), amount);
  }

  /** A message of `arm` resolved `steps` after it was due. */
  resolved(arm: number, steps: number): void {
    const hours = steps * this.#stepHours;
    this.#resolved[arm] = (this.#resolved[arm] as number) + 1;
    this.#resolvedHours[arm] = (this.#resolvedHours[arm] as number) + hours;
    this.#maxHours[arm] = Math.max(this.#maxHours[arm] as number, hours);
    this.arm(arm, ARM_FIGURE.resolved);
  }

  /** A surge's totals, and its no-WAN messages (they must go by UTRN) per arm; `armOf` gives a meter's arm. */
  countPlan(plan: SurgePlan, armOf: (meter: number) => number): void {
    this.#count(FIGURE.surgeMessages, plan.total);
    this.#count(FIGURE.mustGoByUtrn, plan.noWan.messages);
    const n = plan.noWan.meters.length;
    for (let j = 0; j < plan.noWan.messages; j++) {
      this.arm(armOf(plan.noWan.meters[j % n] as number), ARM_FIGURE.mustGoByUtrn);
    }
  }

  /** The last step's figures: off supply, resolution times, what is still open, WAN restorations. */
  finish(tally: OffSupplyTally, unresolved: readonly number[], restoration: WanRestoration): void {
    for (const a of this.#arms) {
      const consumers = tally.consumers[a] as number;
      const hours = tally.hours[a] as number;
      this.arm(a, ARM_FIGURE.offSupplyConsumers, consumers);
      const meters = this.#meters[a] as number;
      this.arm(a, ARM_FIGURE.offSupplyPerThousand, meters > 0 ? round1((1000 * consumers) / meters) : 0);
      this.arm(a, ARM_FIGURE.offSupplyHours, Math.round(hours));
      this.arm(a, ARM_FIGURE.meanOffSupplyHours, consumers > 0 ? round1(hours / consumers) : 0);
      this.arm(a, ARM_FIGURE.offSupplyAtEnd, tally.atEnd[a] as number);
      const resolved = this.#resolved[a] as number;
      const mean = resolved > 0 ? round1((this.#resolvedHours[a] as number) / resolved) : 0;
      this.arm(a, ARM_FIGURE.meanHoursToResolve, mean);
      this.arm(a, ARM_FIGURE.maxHoursToResolve, round1(this.#maxHours[a] as number));
      this.arm(a, ARM_FIGURE.unresolved, unresolved[a] as number);
    }
    if (restoration.raised > 0) {
      const mean = restoration.restored > 0 ? round1(restoration.totalDays / restoration.restored) : 0;
      this.#count(FIGURE.meanDaysToRestore, mean);
      this.#count(FIGURE.maxDaysToRestore, round1(restoration.maxDays));
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
