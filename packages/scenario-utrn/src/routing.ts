/**
 * Where each supplier message goes: as a code the consumer types when the meter has no WAN (if
 * its command set can carry it, else to a site visit); as a code too while the DCC is down
 * (`fallback.wanDown`) or after the WAN lost it (`fallback.wanLost`); otherwise over the WAN. A
 * step's surge messages are routed plan by plan, the no-WAN group first, in message order; a
 * segment routes those to its own meters only (the plan is the whole fleet's, and the engine
 * would drop a command to another segment's meter after it had been counted here).
 */
import { type RunContext, type StepRecords, WanClass } from '@gbfleet/core';
import { OUTCOME_CODE } from '@gbfleet/gbcs';
import { issue } from './keypad.js';
import { dueRange, surgeMessage } from './surge-plan.js';
import { ARM_FIGURE, FIGURE } from './utrn-figures.js';
import type { Message } from './utrn-message.js';
import type { UtrnRun } from './utrn-run.js';

/** The surge messages due at this step to this run's own meters, each routed. */
export function routeSurges(s: UtrnRun, run: RunContext): void {
  const { owned } = run;
  for (const plan of s.plans) {
    for (const group of [plan.noWan, plan.wan]) {
      const [lo, hi] = dueRange(plan, group, run.step);
      for (let j = lo; j < hi; j++) {
        const msg = surgeMessage(plan, group, j);
        if (msg.meter < owned.lo || msg.meter >= owned.hi) continue; // another segment's
        const m = {
          meter: msg.meter,
          supplier: plan.supplier,
          kind: msg.kind,
          argument: msg.argument,
          plannedAt: run.step,
        };
        route(s, run, m);
      }
    }
  }
}

/** Route one message: WAN, UTRN (no WAN, or DCC down), or a site visit. */
export function route(s: UtrnRun, run: RunContext, m: Message): void {
  const arm = s.sets.armOf(m.meter);
  const carried = s.sets.canCarry(arm, m.kind, m.argument);
  if (run.fleet.columns.wanClass[m.meter] === WanClass.None) {
    if (carried) issue(s, run, m, arm);
    else {
      s.figures.arm(arm, ARM_FIGURE.undeliverable);
      s.visits.book(run, m, arm);
    }
  } else if (s.config.fallback.wanDown && carried && s.dcc.wanDown(run.step)) {
    run.count(FIGURE.issuedWhileDown);
    issue(s, run, m, arm);
  } else {
    run.count(FIGURE.sentByWan);
    s.wan.send(run, m);
  }
}

/** Messages the WAN lost this step: re-issued as a code if the set can carry it, else sent again next step. */
export function wanLosses(s: UtrnRun, run: RunContext, records: StepRecords): void {
  const cm = records.commands;
  for (let i = 0; i < cm.length; i++) {
    if (cm.reason[i] !== OUTCOME_CODE.WAN_LOST || cm.channel[i] !== 0) continue;
    const m = s.wan.lost(cm.meter[i] as number, cm.serviceRequest[i] as number);
    if (!m) continue;
    const arm = s.sets.armOf(m.meter);
    if (s.config.fallback.wanLost && s.sets.canCarry(arm, m.kind, m.argument)) {
      run.count(FIGURE.reissuedAfterLoss);
      issue(s, run, m, arm);
    } else s.wan.resendAt(run.step + 1, m); // try the WAN again
  }
}
