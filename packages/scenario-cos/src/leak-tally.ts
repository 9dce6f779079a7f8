/**
 * Counts, step by step, the alerts the DCC delivered (after its alert policy) to a switched
 * meter's losing supplier while it is no longer the registered supplier: in all, per losing
 * party, per planned SR 6.23 outcome (so per root cause) and per calendar day, with how many
 * carry readings (personal data). Also the DCC's alert load per calendar day: every figure adds
 * up over segments, so the busiest day is the largest of those, read where the figures are read
 * (a maximum of daily totals cannot be merged from segments' maxima).
 * Alerts of meters without a WAN are counted apart too: the core records them as delivered,
 * though nothing could carry them.
 */
import type { AlertBatch, RunContext } from '@gbfleet/core';
import { NOT_PLANNED, OUTCOME_SLOTS, outcomeSlotOf, SLOT_LABELS, type SwitchPlan } from './switch-plan.js';

export const FIGURE = {
  alerts: 'cos: alerts to the losing supplier',
  readings: 'cos: readings to the losing supplier',
  withoutWan: 'cos: alerts for the losing supplier held by meters without a WAN (never delivered)',
} as const;

/** "cos: 2026-01-05 alerts to the losing supplier", "cos: 2026-01-05 DCC alert load (all alerts delivered)". */
const perDayFigure = {
  alerts: (date: string) => `cos: ${date} alerts to the losing supplier`,
  readings: (date: string) => `cos: ${date} readings to the losing supplier`,
  load: (date: string) => `cos: ${date} DCC alert load (all alerts delivered)`,
};

export class LeakTally {
  readonly #plan: SwitchPlan;
  readonly #perDay: boolean;
  readonly #startMs: number;

  constructor(plan: SwitchPlan, options: { perDay: boolean; start: string }) {
    this.#plan = plan;
    this.#perDay = options.perDay;
    this.#startMs = Date.parse(options.start);
  }

  add(run: RunContext, alerts: AlertBatch): void {
    const plan = this.#plan;
    let leaked = 0;
    let readings = 0;
    let withoutWan = 0;
    const byParty = new Map<number, { alerts: number; readings: number }>();
    const bySlot = new Uint32Array(OUTCOME_SLOTS);
    for (let i = 0; i < alerts.length; i++) {
      const recipient = alerts.recipient[i] as number;
      if (recipient === alerts.registeredSupplier[i]) continue;
      const m = alerts.meter[i] as number;
      if (plan.startStep[m] === NOT_PLANNED || recipient !== plan.losing[m]) continue;
      // A meter without WAN raises the alert but cannot send it: it never reaches anyone.
      if (alerts.delivered[i] !== 1) {
        withoutWan++;
        continue;
      }
      const reads = alerts.carriesReads[i] === 1 ? 1 : 0;
      leaked++;
      readings += reads;
      const slot = outcomeSlotOf(plan, m);
      bySlot[slot] = (bySlot[slot] as number) + 1;
      const party = byParty.get(recipient) ?? { alerts: 0, readings: 0 };
      party.alerts++;
      party.readings += reads;
      byParty.set(recipient, party);
    }
    if (withoutWan > 0) run.count(FIGURE.withoutWan, withoutWan);
    if (leaked > 0) {
      run.count(FIGURE.alerts, leaked);
      run.count(FIGURE.readings, readings);
      for (const [party, n] of [...byParty].sort((a, b) => a[0] - b[0])) {
        const name = run.parties.at(party).name;
        run.count(`${FIGURE.alerts}, ${name}`, n.alerts);
        run.count(`${FIGURE.readings}, ${name}`, n.readings);
      }
      bySlot.forEach((n, slot) => {
        if (n > 0) run.count(`${FIGURE.alerts}, ${SLOT_LABELS[slot]}`, n);
      });
    }
    if (this.#perDay) {
      const date = new Date(this.#startMs + (run.step * 1440 * 60_000) / run.stepsPerDay).toISOString().slice(0, 10);
      if (leaked > 0) {
        run.count(perDayFigure.alerts(date), leaked);
        run.count(perDayFigure.readings(date), readings);
      }
      run.count(perDayFigure.load(date), alerts.length);
    }
  }
}
