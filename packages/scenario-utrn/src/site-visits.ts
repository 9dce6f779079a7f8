/**
 * Engineers' site visits. A message that neither the WAN nor a code the meter accepts can carry —
 * or a code the consumer gave up on, or one the meter refused for good — is booked for a visit a
 * seeded delay within `siteVisitHours` later (drawn per meter and visit: engineers are not a
 * shared capacity here, so one meter's visits never wait on another's). When it falls due the engineer configures the meter
 * on site (a command on the site-visit channel, which the meter applies like any request), unless
 * the meter's WAN came back first: then the message goes over the WAN and the visit is avoided.
 */
import { type RunContext, WanClass } from '@gbfleet/core';
import type { ArmFigures } from './arm-figures.js';
import type { UtrnConfig } from './utrn-config.js';
import { ARM_FIGURE } from './utrn-figures.js';
import type { Message } from './utrn-message.js';
import type { WanSends } from './wan-sends.js';

export interface Visit extends Message {
  arm: number;
}

/** What the visits keep in a checkpoint: those booked and not made, by step, and each meter's count so far. */
export interface SiteVisitsState {
  due: Map<number, Visit[]>;
  booked: Map<number, number>;
}

export class SiteVisits {
  readonly #hours: UtrnConfig['siteVisitHours'];
  readonly #stepHours: number;
  readonly #figures: ArmFigures;
  readonly #due = new Map<number, Visit[]>();
  /** Visits booked so far per meter: each visit's delay is drawn from a stream of (meter, its visit number). */
  readonly #booked = new Map<number, number>();

  constructor(hours: UtrnConfig['siteVisitHours'], stepHours: number, figures: ArmFigures) {
    this.#hours = hours;
    this.#stepHours = stepHours;
    this.#figures = figures;
  }

  /** Books a visit for message `m` to a meter of `arm`. */
  book(run: RunContext, m: Message, arm: number): void {
    this.#figures.arm(arm, ARM_FIGURE.visitsNeeded);
    const { min, max } = this.#hours;
    const n = this.#booked.get(m.meter) ?? 0;
    this.#booked.set(m.meter, n + 1);
    const draw = run.random('utrn-visit', (BigInt(m.meter) << 32n) | BigInt(n)).nextFloat();
    const hours = min + draw * (max - min);
    const step = run.step + Math.max(1, Math.ceil(hours / this.#stepHours));
    const list = this.#due.get(step);
    const visit = { ...m, arm };
    if (list) list.push(visit);
    else this.#due.set(step, [visit]);
  }

  /** This step's visits: made on site, or avoided by the WAN; either resolves the message. */
  makeDue(run: RunContext, wan: WanSends): void {
    for (const v of this.#due.get(run.step) ?? []) {
      if (run.fleet.columns.wanClass[v.meter] !== WanClass.None) {
        this.#figures.arm(v.arm, ARM_FIGURE.visitsAvoided);
        wan.send(run, v);
      } else {
        this.#figures.arm(v.arm, ARM_FIGURE.visitsMade);
        run.send({ sender: v.supplier, meter: v.meter, kind: v.kind, argument: v.argument, channel: 'site-visit' });
      }
      this.#figures.resolved(v.arm, run.step - v.plannedAt);
    }
    this.#due.delete(run.step);
  }

  saveState(): SiteVisitsState {
    return { due: copyLists(this.#due), booked: new Map(this.#booked) };
  }

  restoreState(state: SiteVisitsState): void {
    for (const [step, list] of copyLists(state.due)) this.#due.set(step, list);
    for (const [meter, n] of state.booked) this.#booked.set(meter, n);
  }

  /** Visits booked and not yet made. */
  *open(): IterableIterator<Visit> {
    for (const list of this.#due.values()) yield* list;
  }
}

/** Visits are never changed once booked: a copy of the lists is a copy of the state. */
function copyLists(map: ReadonlyMap<number, readonly Visit[]>): Map<number, Visit[]> {
  return new Map([...map].map(([step, list]) => [step, list.map((v) => ({ ...v }))]));
}
