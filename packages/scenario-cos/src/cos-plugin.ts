/**
 * The CoS plug-in for one run. On each meter's supply start date it moves the registration (DCC
 * registration data) to the gaining supplier; the meter's supplier cell moves only when SR 6.23 —
 * a real CS02b frame (0x0107) from the ACB, checked against the meter's ACB cell — lands. Until
 * then the meter's own schedules and alerts keep going to the losing supplier, which is what the
 * figures count. The losing supplier's stray critical commands meet the DCC's E4 check.
 *
 *   supply start ──► registration = gaining ──► SR 6.23 (on time / late / never) ──► cell = gaining
 *                     leak begins (cell ≠ registered)                              leak ends
 */
import { ACB_PARTY, type RunContext, type ScenarioPlugin, type StepRecords, SupplyState } from '@gbfleet/core';
import { COMMAND_OUTCOMES, OUTCOME_CODE, ServiceRequest } from '@gbfleet/gbcs';
import type { CosConfig } from './cos-config.js';
import { FIGURE as LEAK_FIGURE, LeakTally } from './leak-tally.js';
import { StepBuckets } from './step-buckets.js';
import { buildSwitchPlan, NOT_PLANNED, type SwitchPlan } from './switch-plan.js';

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

const SR623 = ServiceRequest.UpdateSecurityCredentials;
/** The losing supplier's systems still think the meter is theirs: an Update Payment Mode (SR 1.6). */
const LOSING_COMMAND = ServiceRequest.SetPaymentMode;

const InFlight = { None: 0, Sent: 1, Accepted: 2, Failed: 3 } as const;

/** Outcome codes that mean the meter itself refused a command (GBCS checks, or the meter's own rules). */
const REFUSED_BY_METER = new Set(
  COMMAND_OUTCOMES.flatMap((name, code) => (name.startsWith('GBCS_') || name === 'DEVICE_REFUSED' ? [code] : [])),
);

export function createCosPlugin(config: CosConfig): ScenarioPlugin {
  let plan: SwitchPlan;
  let starts: StepBuckets;
  let sr623: StepBuckets;
  let returns: StepBuckets;
  let losingCommands: StepBuckets;
  let leaks: LeakTally;
  const retries = new Map<number, number[]>();
  let sr623State: Uint8Array;
  let sr623Tries: Uint8Array;
  let losingState: Uint8Array;
  let leaking: Uint8Array;

  return {
    name: 'cos',
    setup(run) {
      plan = buildSwitchPlan(config, {
        fleet: run.fleet,
        supplierIndex: (name) => run.parties.byName(name).index,
        random: (stream, entity) => run.random(stream, entity),
        stepAt: (day, hour) => run.stepAt(day, hour),
        stepsPerDay: run.stepsPerDay,
      });
      starts = StepBuckets.fromSteps(plan.startStep, run.steps);
      sr623 = StepBuckets.fromSteps(plan.sr623Step, run.steps);
      returns = StepBuckets.fromSteps(plan.returnStep, run.steps);
      losingCommands = StepBuckets.fromSteps(plan.losingCommandStep, run.steps);
      const n = run.fleet.meters;
      sr623State = new Uint8Array(n);
      sr623Tries = new Uint8Array(n);
      losingState = new Uint8Array(n);
      leaking = new Uint8Array(n);
      leaks = new LeakTally(plan, { perDay: config.perDayFigures, start: run.spec.start });
      // Every total first, even at 0, in reading order (figures keep the order first counted in);
      // the per-party and per-day figures follow as they happen.
      run.count(FIGURE.metersInBatches, plan.switching);
      for (const [label, meters] of plan.planned) run.count(`cos: planned ${label}`, meters);
      const returnsPlanned = returns.size > 0;
      const losingPlanned = config.losingSupplier.commandShare > 0;
      for (const figure of [
        FIGURE.supplyStarts,
        FIGURE.sr623Sent,
        FIGURE.sr623Accepted,
        FIGURE.sr623Retries,
        FIGURE.sr623NoWan,
        FIGURE.sr623GaveUp,
        FIGURE.leaking,
        FIGURE.leaksEndedBySr623,
        ...(returnsPlanned ? [FIGURE.returned] : []),
        FIGURE.alerts,
        FIGURE.readings,
        FIGURE.withoutWan,
        FIGURE.busiestDay,
        ...(losingPlanned ? [FIGURE.losingSent, FIGURE.losingBlocked, FIGURE.losingAccepted, FIGURE.losingOther] : []),
        FIGURE.gainingRefused,
      ]) {
        run.count(figure, 0);
      }
    },

    beforeStep(run) {
      const c = run.fleet.columns;
      for (const m of starts.at(run.step)) {
        c.registeredSupplier[m] = plan.gaining[m] as number;
        run.count(FIGURE.supplyStarts);
        updateLeak(run, m);
      }
      for (const m of returns.at(run.step)) {
        c.registeredSupplier[m] = plan.losing[m] as number;
        run.count(FIGURE.returned);
        updateLeak(run, m);
      }
      const due = retries.get(run.step) ?? [];
      retries.delete(run.step);
      for (const list of [sr623.at(run.step), due]) {
        for (const m of list) {
          if (sr623State[m] === InFlight.Accepted) continue;
          run.send({ sender: ACB_PARTY, meter: m, kind: SR623, argument: plan.gaining[m] as number });
          sr623State[m] = InFlight.Sent;
          run.count(FIGURE.sr623Sent);
        }
      }
      for (const m of losingCommands.at(run.step)) {
        run.send({
          sender: plan.losing[m] as number,
          meter: m,
          kind: LOSING_COMMAND,
          argument: c.paymentMode[m] as number,
        });
        losingState[m] = InFlight.Sent;
        run.count(FIGURE.losingSent);
      }
    },

    afterStep(run, records) {
      settleCommands(run, records);
      leaks.add(run, records.alerts);
      if (run.step + 1 === run.steps) countOffSupply(run);
    },
  };

  /** A switched meter leaks while its supplier cell holds a party other than its registered supplier. */
  function updateLeak(run: RunContext, m: number): 'began' | 'ended' | 'unchanged' {
    const c = run.fleet.columns;
    const now = c.supplierCell[m] !== c.registeredSupplier[m] ? 1 : 0;
    if (now === leaking[m]) return 'unchanged';
    leaking[m] = now;
    run.count(FIGURE.leaking, now ? 1 : -1);
    return now ? 'began' : 'ended';
  }

  function settleCommands(run: RunContext, records: StepRecords): void {
    const cmds = records.commands;
    const c = run.fleet.columns;
    const stepHours = 24 / run.stepsPerDay;
    for (let i = 0; i < cmds.length; i++) {
      const m = cmds.meter[i] as number;
      if (plan.startStep[m] === NOT_PLANNED || (plan.startStep[m] as number) > run.step) continue;
      const reason = cmds.reason[i] as number;
      // Quarantined by ADT: it comes back with its final outcome when released.
      if (reason === OUTCOME_CODE.DCC_QUARANTINED) continue;
      const kind = cmds.serviceRequest[i] as number;
      const sender = cmds.sender[i] as number;
      if (kind === SR623 && sender === ACB_PARTY && sr623State[m] === InFlight.Sent) {
        if (reason === OUTCOME_CODE.ACCEPTED) {
          sr623State[m] = InFlight.Accepted;
          run.count(FIGURE.sr623Accepted);
          if (updateLeak(run, m) === 'ended') run.count(FIGURE.leaksEndedBySr623);
        } else if (reason === OUTCOME_CODE.WAN_NOT_DELIVERED) {
          sr623State[m] = InFlight.Failed;
          run.count(FIGURE.sr623NoWan);
        } else if ((sr623Tries[m] as number) < config.sr623Retry.max) {
          sr623Tries[m] = (sr623Tries[m] as number) + 1;
          const at = run.step + Math.max(1, Math.ceil(config.sr623Retry.afterHours / stepHours));
          const list = retries.get(at);
          if (list) list.push(m);
          else retries.set(at, [m]);
          run.count(FIGURE.sr623Retries);
        } else {
          sr623State[m] = InFlight.Failed;
          run.count(FIGURE.sr623GaveUp);
        }
      } else if (kind === LOSING_COMMAND && sender === plan.losing[m] && losingState[m] === InFlight.Sent) {
        losingState[m] = InFlight.None;
        if (reason === OUTCOME_CODE.DCC_E4_NOT_ELIGIBLE) run.count(FIGURE.losingBlocked);
        else if (reason === OUTCOME_CODE.ACCEPTED) run.count(FIGURE.losingAccepted);
        else run.count(FIGURE.losingOther);
      } else if (sender === plan.gaining[m] && REFUSED_BY_METER.has(reason) && c.supplierCell[m] !== sender) {
        // Over the WAN the meter does not know the sender; as a UTRN, the code is not made with
        // the prepayment key of the party in its supplier cell.
        run.count(FIGURE.gainingRefused);
      }
    }
  }

  function countOffSupply(run: RunContext): void {
    const c = run.fleet.columns;
    let off = 0;
    for (let m = 0; m < run.fleet.meters; m++) {
      if (plan.startStep[m] === NOT_PLANNED || (plan.startStep[m] as number) >= run.steps) continue;
      if (c.supplyState[m] !== SupplyState.On) off++;
    }
    run.count(FIGURE.offSupplyAtEnd, off);
  }
}
