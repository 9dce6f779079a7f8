/**
 * One run of the CoS batches, on the main thread between shard tasks. On each meter's supply start
 * step the registration (DCC registration data) moves to the gaining supplier; the meter's
 * supplier cell moves only when SR 6.23 lands (sr623-sender.ts). A switched meter leaks while its
 * cell holds a party other than its registered supplier. The losing supplier's stray critical
 * commands meet the DCC's E4 check; the gaining supplier's commands, the meter's own checks.
 *
 *   beforeStep   supply starts, erroneous transfers returned, SR 6.23 (planned, retries), stray commands
 *   afterStep    answers settled in record order (each meter's answers in the order they came), leaks
 *                counted, and at the last step the switched meters off supply
 *
 * The plan is the whole fleet's (fleet-at-start.ts); everything else acts on and counts the run's
 * own meters (`run.owned`), so a segment does and counts exactly what the whole run does for them.
 * A checkpoint keeps the plan and the per-meter states (saveState); a resumed run starts from
 * them (fromState) instead of planning and opening the figures again.
 */
import { ACB_PARTY, type RunContext, type StepRecords, SupplyState } from '@gbfleet/core';
import { COMMAND_OUTCOMES, OUTCOME_CODE, ServiceRequest } from '@gbfleet/gbcs';
import type { CosConfig } from './cos-config.js';
import { countOpeningFigures, FIGURE } from './cos-figures.js';
import { fleetAtStart } from './fleet-at-start.js';
import { LeakTally } from './leak-tally.js';
import { ownedSlice } from './owned-slice.js';
import { SR623, Sr623Sender, type Sr623State } from './sr623-sender.js';
import { StepBuckets } from './step-buckets.js';
import {
  buildSwitchPlan,
  giveMeterSchedules,
  NOT_PLANNED,
  type SwitchPlan,
  type SwitchPlanState,
  switchPlanFromState,
  switchPlanState,
} from './switch-plan.js';

/** The losing supplier's systems still think the meter is theirs: an Update Payment Mode (SR 1.6). */
const LOSING_COMMAND = ServiceRequest.SetPaymentMode;
const LOSING_SENT = 1;

/** Outcome codes that mean the meter itself refused a command (GBCS checks, or the meter's own rules). */
const REFUSED_BY_METER = new Set(
  COMMAND_OUTCOMES.flatMap((name, code) => (name.startsWith('GBCS_') || name === 'DEVICE_REFUSED' ? [code] : [])),
);

/** What a CoS run keeps in a checkpoint. */
export interface CosRunState {
  plan: SwitchPlanState;
  sr623: Sr623State;
  losingState: Uint8Array;
  leaking: Uint8Array;
}

export class CosRun {
  readonly #plan: SwitchPlan;
  readonly #starts: StepBuckets;
  readonly #sr623Planned: StepBuckets;
  readonly #returns: StepBuckets;
  readonly #losingCommands: StepBuckets;
  readonly #sr623: Sr623Sender;
  readonly #leaks: LeakTally;
  /** Per meter: LOSING_SENT while the losing supplier's stray command awaits its answer. */
  readonly #losingState: Uint8Array;
  /** Per meter: 1 while its supplier cell is not its registered supplier. */
  readonly #leaking: Uint8Array;
  /** The run's own meters: a checkpoint keeps their part of each per-meter array. */
  readonly #owned: RunContext['owned'];

  /** Plans the batches on this fleet (CosPlanError if it cannot), gives the schedules and opens the figures. */
  static start(config: CosConfig, run: RunContext): CosRun {
    const plan = buildSwitchPlan(config, {
      fleet: fleetAtStart(run),
      supplierIndex: (name) => run.parties.byName(name).index,
      random: (stream, entity) => run.random(stream, entity),
      stepAt: (day, hour) => run.stepAt(day, hour),
      stepsPerDay: run.stepsPerDay,
    });
    if (config.meterSchedules) giveMeterSchedules(config.meterSchedules, plan, run.fleet, run.owned);
    const cos = new CosRun(config, run, plan);
    countOpeningFigures(run, plan, {
      returns: plan.returnStep.some((step) => step >= 0 && step < run.steps),
      losingCommands: config.losingSupplier.commandShare > 0,
    });
    return cos;
  }

  /**
   * A resumed run's CoS state: the saved plan and per-meter states; the step buckets are made
   * again from the plan (one pass over the own meters). The schedules are in the fleet columns.
   */
  static fromState(config: CosConfig, state: CosRunState, run: RunContext): CosRun {
    const { owned } = run;
    const meters = run.fleet.meters;
    const cos = new CosRun(config, run, switchPlanFromState(state.plan, owned, meters), state.sr623);
    cos.#losingState.set(state.losingState, owned.lo);
    cos.#leaking.set(state.leaking, owned.lo);
    return cos;
  }

  private constructor(config: CosConfig, run: RunContext, plan: SwitchPlan, sr623?: Sr623State) {
    this.#plan = plan;
    this.#owned = run.owned;
    this.#starts = StepBuckets.fromSteps(plan.startStep, run.steps, run.owned);
    this.#sr623Planned = StepBuckets.fromSteps(plan.sr623Step, run.steps, run.owned);
    this.#returns = StepBuckets.fromSteps(plan.returnStep, run.steps, run.owned);
    this.#losingCommands = StepBuckets.fromSteps(plan.losingCommandStep, run.steps, run.owned);
    const n = run.fleet.meters;
    this.#sr623 = sr623
      ? Sr623Sender.fromState(config.sr623Retry, n, sr623, run.owned)
      : new Sr623Sender(config.sr623Retry, n);
    this.#losingState = new Uint8Array(n);
    this.#leaking = new Uint8Array(n);
    this.#leaks = new LeakTally(plan, { perDay: config.perDayFigures, start: run.spec.start });
  }

  /** The state between two steps, for a checkpoint (the own meters' part of each per-meter array). */
  saveState(): CosRunState {
    const owned = this.#owned;
    return {
      plan: switchPlanState(this.#plan, owned),
      sr623: this.#sr623.saveState(owned),
      losingState: ownedSlice(this.#losingState, owned),
      leaking: ownedSlice(this.#leaking, owned),
    };
  }

  beforeStep(run: RunContext): void {
    this.#moveRegistrations(run);
    this.#sr623.send(run, this.#sr623Planned.at(run.step), this.#plan.gaining);
    this.#sendLosingCommands(run);
  }

  afterStep(run: RunContext, records: StepRecords): void {
    this.#settle(run, records);
    this.#leaks.add(run, records.alerts);
    if (run.step + 1 === run.steps) this.#countOffSupply(run);
  }

  /** Supply starts move registration to the gaining supplier; erroneous transfers move it back. */
  #moveRegistrations(run: RunContext): void {
    const c = run.fleet.columns;
    for (const m of this.#starts.at(run.step)) {
      c.registeredSupplier[m] = this.#plan.gaining[m] as number;
      run.count(FIGURE.supplyStarts);
      this.#updateLeak(run, m);
    }
    for (const m of this.#returns.at(run.step)) {
      c.registeredSupplier[m] = this.#plan.losing[m] as number;
      run.count(FIGURE.returned);
      this.#updateLeak(run, m);
    }
  }

  #sendLosingCommands(run: RunContext): void {
    const c = run.fleet.columns;
    for (const m of this.#losingCommands.at(run.step)) {
      const sender = this.#plan.losing[m] as number;
      run.send({ sender, meter: m, kind: LOSING_COMMAND, argument: c.paymentMode[m] as number });
      this.#losingState[m] = LOSING_SENT;
      run.count(FIGURE.losingSent);
    }
  }

  /** A switched meter leaks while its supplier cell holds a party other than its registered supplier. */
  #updateLeak(run: RunContext, m: number): 'began' | 'ended' | 'unchanged' {
    const c = run.fleet.columns;
    const now = c.supplierCell[m] !== c.registeredSupplier[m] ? 1 : 0;
    if (now === this.#leaking[m]) return 'unchanged';
    this.#leaking[m] = now;
    run.count(FIGURE.leaking, now ? 1 : -1);
    return now ? 'began' : 'ended';
  }

  /** The step's answers to switched meters' commands: SR 6.23, the losing supplier's, the gaining supplier's. */
  #settle(run: RunContext, records: StepRecords): void {
    const cmds = records.commands;
    const plan = this.#plan;
    for (let i = 0; i < cmds.length; i++) {
      const m = cmds.meter[i] as number;
      if (plan.startStep[m] === NOT_PLANNED || (plan.startStep[m] as number) > run.step) continue;
      const reason = cmds.reason[i] as number;
      // Quarantined by ADT: it comes back with its final outcome when released.
      if (reason === OUTCOME_CODE.DCC_QUARANTINED) continue;
      const kind = cmds.serviceRequest[i] as number;
      const sender = cmds.sender[i] as number;
      if (kind === SR623 && sender === ACB_PARTY && this.#sr623.inFlight(m)) {
        if (this.#sr623.answered(run, m, reason) && this.#updateLeak(run, m) === 'ended') {
          run.count(FIGURE.leaksEndedBySr623);
        }
      } else if (kind === LOSING_COMMAND && sender === plan.losing[m] && this.#losingState[m] === LOSING_SENT) {
        this.#losingState[m] = 0;
        if (reason === OUTCOME_CODE.DCC_E4_NOT_ELIGIBLE) run.count(FIGURE.losingBlocked);
        else if (reason === OUTCOME_CODE.ACCEPTED) run.count(FIGURE.losingAccepted);
        else run.count(FIGURE.losingOther);
      } else if (
        sender === plan.gaining[m] &&
        REFUSED_BY_METER.has(reason) &&
        run.fleet.columns.supplierCell[m] !== sender
      ) {
        // Over the WAN the meter does not know the sender; as a UTRN, the code is not made with
        // the prepayment key of the party in its supplier cell.
        run.count(FIGURE.gainingRefused);
      }
    }
  }

  #countOffSupply(run: RunContext): void {
    const c = run.fleet.columns;
    const plan = this.#plan;
    let off = 0;
    for (let m = run.owned.lo; m < run.owned.hi; m++) {
      if (plan.startStep[m] === NOT_PLANNED || (plan.startStep[m] as number) >= run.steps) continue;
      if (c.supplyState[m] !== SupplyState.On) off++;
    }
    run.count(FIGURE.offSupplyAtEnd, off);
  }
}
