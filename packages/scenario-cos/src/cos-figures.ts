/**
 * The run-summary figures of the CoS scenario, named once, and the order they open in: every
 * total is counted first at 0, in reading order (the summary keeps figures in the order first
 * counted), while the per-party, per-outcome and per-day figures follow as they happen. Every
 * figure counts the run's own meters only, so a segmented run's figures add up to the whole run's.
 */
import type { RunContext } from '@gbfleet/core';
import { FIGURE as LEAK_FIGURE } from './leak-tally.js';
import { NOT_PLANNED, OUTCOME_SLOTS, outcomeSlotOf, SLOT_LABELS, type SwitchPlan } from './switch-plan.js';

export const FIGURE = {
  ...LEAK_FIGURE,
  metersInBatches: 'cos: meters in CoS batches',
  supplyStarts: 'cos: supply starts',
  sr623Sent: 'cos: SR 6.23 sent (with retries)',
  sr623Accepted: 'cos: SR 6.23 accepted by the meter',
  sr623Retries: 'cos: SR 6.23 retries',
  sr623NoWan: 'cos: SR 6.23 undeliverable (no WAN)',
  sr623GaveUp: 'cos: SR 6.23 failed after every retry',
  leaking: 'cos: switched meters whose supplier cell is not the registered supplier',
  leaksEndedBySr623: 'cos: leaks ended by SR 6.23',
  returned: 'cos: registrations returned to the losing supplier (erroneous transfer)',
  losingSent: 'cos: losing-supplier commands sent after the start date',
  losingBlocked: 'cos: losing-supplier commands blocked (E4)',
  losingAccepted: 'cos: losing-supplier commands accepted',
  losingOther: 'cos: losing-supplier commands otherwise refused',
  gainingRefused: 'cos: gaining-supplier commands refused by the meter (supplier cell not updated)',
  offSupplyAtEnd: 'cos: switched meters off supply at the end',
} as const;

/**
 * The plan's sizes over the run's own meters (every outcome the whole plan has, in its order, even
 * at 0), then every total at 0; returns and losing-supplier figures only when the whole plan has them.
 */
export function countOpeningFigures(
  run: RunContext,
  plan: SwitchPlan,
  planned: { returns: boolean; losingCommands: boolean },
): void {
  const bySlot = new Uint32Array(OUTCOME_SLOTS);
  let switching = 0;
  for (let m = run.owned.lo; m < run.owned.hi; m++) {
    if (plan.startStep[m] === NOT_PLANNED) continue;
    switching++;
    const slot = outcomeSlotOf(plan, m);
    bySlot[slot] = (bySlot[slot] as number) + 1;
  }
  run.count(FIGURE.metersInBatches, switching);
  for (const label of plan.planned.keys()) {
    run.count(`cos: planned ${label}`, bySlot[SLOT_LABELS.indexOf(label)] as number);
  }
  for (const figure of [
    FIGURE.supplyStarts,
    FIGURE.sr623Sent,
    FIGURE.sr623Accepted,
    FIGURE.sr623Retries,
    FIGURE.sr623NoWan,
    FIGURE.sr623GaveUp,
    FIGURE.leaking,
    FIGURE.leaksEndedBySr623,
    ...(planned.returns ? [FIGURE.returned] : []),
    FIGURE.alerts,
    FIGURE.readings,
    FIGURE.withoutWan,
    ...(planned.losingCommands
      ? [FIGURE.losingSent, FIGURE.losingBlocked, FIGURE.losingAccepted, FIGURE.losingOther]
      : []),
    FIGURE.gainingRefused,
  ]) {
    run.count(figure, 0);
  }
}
