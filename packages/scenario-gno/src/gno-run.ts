/**
 * One run of a GNO's departure, on the main thread between shard tasks: the two senders' work
 * lists, which GPF has a command in flight, and the ledger. The engine's hooks call its named
 * methods (gno-plugin.ts); the meters decide every outcome. One attempt per GPF and sender is in
 * flight at a time, so the next counter is chosen only after the meter (or the DCC) has answered
 * the last. Each sender keeps one line per shard, served at the shard's share of its rate
 * (shard-send-queues.ts), so a segment of whole shards runs its GPFs as the whole run does.
 *
 *   leave       the GPFs, their cohorts and the network sale; the exit is scheduled
 *   handover    registration moves to the incoming GNO; the DSP's line fills
 *   sendStep    SRV 6.15.1 (until the exit), then SRV 6.21 (once handing over), at their rates
 *   readStep    the step's answers, in (meter, kind) order: retries, recorded counters, end states
 */
import {
  ACB_PARTY,
  type CommandRecordBatch,
  clockCounter,
  type RunContext,
  type ScenarioSpec,
  type StepRecords,
  trackedCounter,
} from '@gbfleet/core';
import { OUTCOME_CODE, ServiceRequest } from '@gbfleet/gbcs';
import { GnoPlanError } from './errors.js';
import type { GnoConfig } from './gno-config.js';
import { Cohort, type CohortCode, Figure, GpfState, type GpfStateCode } from './gno-figures.js';
import {
  cohortsOf,
  drawCohortsAndSale,
  emptyLedger,
  type GnoLedger,
  type GnoLedgerState,
  gpfDrawKeys,
  gpfsOf,
  ledgerFromState,
  saveLedger,
} from './gno-ledger.js';
import { type GnoTiming, gnoTiming } from './gno-timing.js';
import { ShardSendQueues, type ShardSendQueuesState } from './shard-send-queues.js';

/** Per-GPF flags: a 6.15.1 in flight, a 6.21 in flight, a 6.21 answered (its state is read from the device). */
const GNO_PENDING = 1;
const DSP_PENDING = 2;
const ANSWERED = 4;
/** Final at the DCC: retrying cannot help (no WAN at all; the sender's certificate is revoked). */
const NOT_RETRIED = new Set<number>([OUTCOME_CODE.WAN_NOT_DELIVERED, OUTCOME_CODE.DCC_CERTIFICATE_REVOKED]);
const REPLACEMENT = ServiceRequest.UpdateNetworkOperatorCredentials;
const HANDOVER = ServiceRequest.NetworkOperatorHandover;

/**
 * A GnoRun between two steps, once `gno-leaves` has fired (before, there is nothing to keep). The
 * timing, the cohorts' list and the party indexes are worked out again from the config; the GPFs'
 * cohorts and network sale are drawn again (gno-ledger.ts).
 */
export interface GnoRunState {
  ledger: GnoLedgerState;
  /** GNO_PENDING | DSP_PENDING | ANSWERED of each GPF, in the ledger's order. */
  flags: Uint8Array;
  gnoQueue: ShardSendQueuesState;
  /** Null before the handover. */
  dspQueue: ShardSendQueuesState | null;
}

export class GnoRun {
  readonly #config: GnoConfig;
  readonly #timing: GnoTiming;
  readonly #cohorts: readonly CohortCode[];
  readonly #gnoQueue: ShardSendQueues;
  /** Null until the handover: the DSP's line, its rate counted from the handover's step. */
  #dspQueue: ShardSendQueues | null = null;
  #ledger: GnoLedger | null = null;
  #flags = new Uint8Array(0);
  #departing = -1;
  #incoming = -1;

  constructor(spec: ScenarioSpec, config: GnoConfig) {
    this.#config = config;
    this.#timing = gnoTiming(spec, config);
    this.#cohorts = cohortsOf(config.dsp.counterTracking);
    this.#gnoQueue = new ShardSendQueues(this.#timing.gnoPerStep, spec.fleet, config.leave.step);
  }

  /**
   * At setup: the departing GNO's DCC User status ends at its exit, fixed by the scenario, so the
   * parties table (written after setup) records it; the DCC refuses what it signs from then on.
   */
  planExit(run: RunContext): void {
    const { leave } = this.#config;
    const party = run.parties.at(
      partyIndex(run, leave.operator, `the departing GNO (events[${leave.event}].operator)`),
    );
    const exitStep = this.#timing.exitStep;
    party.revokedAtStep = Math.min(party.revokedAtStep ?? exitStep, exitStep);
  }

  /** Null until the `gno-leaves` event has fired. */
  get ledger(): GnoLedger | null {
    return this.#ledger;
  }

  /** `gno-leaves`: the departing GNO's (owned) GPFs get a cohort and join its line (but for the network sale). */
  leave(run: RunContext): void {
    const { leave } = this.#config;
    const departing = partyIndex(run, leave.operator, `the departing GNO (events[${leave.event}].operator)`);
    this.#departing = departing;
    const l = emptyLedger(gpfsOf(run.fleet, run.owned, departing), run.fleet.meters);
    this.#flags = new Uint8Array(run.fleet.meters);
    drawCohortsAndSale(l, this.#config, gpfDrawKeys(run));
    run.count(Figure.gpfs, l.gpfs.length);
    run.count(Figure.missed, 0);
    for (const cohort of this.#cohorts) run.count(Figure.cohort(cohort), 0);
    for (const m of l.gpfs) {
      run.count(Figure.cohort(l.cohort[m] as CohortCode));
      if (l.missed[m]) run.count(Figure.missed);
      else this.#gnoQueue.enqueue(m);
    }
    this.#ledger = l;
  }

  /** `gno-handover`: registration moves at once; the devices follow as the DSP reaches them. */
  handover(run: RunContext): void {
    const handover = this.#config.handover;
    if (!this.#ledger || !handover) return;
    this.#incoming = partyIndex(run, handover.to, `the incoming GNO (events[${handover.event}].to)`);
    const dspQueue = new ShardSendQueues(this.#timing.dspPerStep, run.spec.fleet, run.step);
    const c = run.fleet.columns;
    for (const m of this.#ledger.gpfs) {
      c.networkOperator[m] = this.#incoming;
      dspQueue.enqueue(m);
    }
    for (const cohort of this.#cohorts) {
      for (const state of [GpfState.HandedOver, GpfState.Stranded, GpfState.Unreachable] as const) {
        run.count(Figure.state(cohort, state), 0);
      }
    }
    this.#dspQueue = dspQueue;
  }

  /** Between two steps, for a checkpoint; null before `gno-leaves`. */
  saveState(): GnoRunState | null {
    const l = this.#ledger;
    if (!l) return null;
    return {
      ledger: saveLedger(l),
      flags: Uint8Array.from(l.gpfs, (m) => this.#flags[m] as number),
      gnoQueue: this.#gnoQueue.saveState(),
      dspQueue: this.#dspQueue?.saveState() ?? null,
    };
  }

  /** On a resumed run, instead of the events that fired before it: no figure is counted again. */
  restoreState(state: GnoRunState | null, run: RunContext): void {
    if (!state) return;
    const { leave, handover } = this.#config;
    this.#departing = partyIndex(run, leave.operator, `the departing GNO (events[${leave.event}].operator)`);
    const l = ledgerFromState(state.ledger, run.fleet.meters);
    drawCohortsAndSale(l, this.#config, gpfDrawKeys(run));
    this.#flags = new Uint8Array(run.fleet.meters);
    l.gpfs.forEach((m, i) => {
      this.#flags[m] = state.flags[i] as number;
    });
    this.#gnoQueue.restoreState(state.gnoQueue);
    if (state.dspQueue && handover) {
      this.#incoming = partyIndex(run, handover.to, `the incoming GNO (events[${handover.event}].to)`);
      // Its rate counts from the handover's step, at which its event fired.
      const dspQueue = new ShardSendQueues(this.#timing.dspPerStep, run.spec.fleet, handover.step);
      dspQueue.restoreState(state.dspQueue);
      this.#dspQueue = dspQueue;
    }
    this.#ledger = l;
  }

  /** Before the step: this step's SRV 6.15.1, then (once handing over) its SRV 6.21. */
  sendStep(run: RunContext): void {
    const l = this.#ledger;
    if (!l) return;
    this.#sendReplacements(run, l);
    if (this.#dspQueue) this.#sendHandovers(run, l, this.#dspQueue);
  }

  /** After the step: what the meters (or the DCC) made of our commands. */
  readStep(run: RunContext, records: StepRecords): void {
    const l = this.#ledger;
    if (!l) return;
    const r = records.commands;
    const touched: number[] = [];
    for (const i of answerOrder(r)) {
      const m = r.meter[i] as number;
      const kind = r.serviceRequest[i];
      const reason = r.reason[i] as number;
      const f = this.#flags[m] as number;
      if (kind === REPLACEMENT && r.sender[i] === this.#departing && f & GNO_PENDING) {
        if (this.#replacementAnswered(run, l, m, reason)) touched.push(m);
      } else if (kind === HANDOVER && r.sender[i] === ACB_PARTY && f & DSP_PENDING) {
        if (this.#handoverAnswered(run, l, m, reason)) touched.push(m);
      }
    }
    for (const m of touched) this.#updateState(run, l, m);
  }

  #sendReplacements(run: RunContext, l: GnoLedger): void {
    const { exitStep, leadSteps } = this.#timing;
    if (run.step === exitStep) {
      const c = run.fleet.columns;
      let holding = 0;
      for (const m of l.gpfs) if (c.networkOperatorCell[m] === this.#departing) holding++;
      run.count(Figure.atExit, holding);
      this.#gnoQueue.clear();
    }
    if (run.step >= exitStep) return;
    // n is the GPF's place in its shard's batch, as core's own sequences go: a GPF's counters
    // rise from step to step whatever n is, so they need no fleet-wide numbering.
    this.#gnoQueue.take(run.step, (m, n) => {
      const counter = clockCounter(run.step, n, leadSteps);
      l.gnoCounter[m] = counter;
      l.gnoAttempts[m] = (l.gnoAttempts[m] as number) + 1;
      this.#flags[m] = (this.#flags[m] as number) | GNO_PENDING;
      run.send({ sender: this.#departing, meter: m, kind: REPLACEMENT, argument: ACB_PARTY, counter });
    });
  }

  #sendHandovers(run: RunContext, l: GnoLedger, dspQueue: ShardSendQueues): void {
    dspQueue.take(run.step, (m, n) => {
      const attempt = (l.dspAttempts[m] as number) + 1;
      const recorded = l.recordedCounter[m] as bigint;
      // With tracking the DSP exceeds the counter it recorded; without (or with nothing recorded
      // yet) it uses its own clock, which may be below the GNO's.
      const counter = recorded > 0n ? trackedCounter(recorded, attempt) : clockCounter(run.step, n);
      l.dspCounter[m] = counter;
      l.dspAttempts[m] = attempt;
      this.#flags[m] = (this.#flags[m] as number) | DSP_PENDING;
      run.send({ sender: ACB_PARTY, meter: m, kind: HANDOVER, argument: this.#incoming, counter });
    });
  }

  /** An SRV 6.15.1 answered; true when the ACB is now in the cell. A failure is retried before the exit. */
  #replacementAnswered(run: RunContext, l: GnoLedger, m: number, reason: number): boolean {
    run.count(Figure.replacement(reason));
    // Quarantined by ADT: it comes back with its final outcome when released.
    if (reason === OUTCOME_CODE.DCC_QUARANTINED) return false;
    this.#flags[m] = (this.#flags[m] as number) & ~GNO_PENDING;
    if (reason === OUTCOME_CODE.ACCEPTED) {
      if (l.cohort[m] === Cohort.Tracking) l.recordedCounter[m] = l.gnoCounter[m] as bigint;
      return true;
    }
    if ((l.gnoAttempts[m] as number) < this.#config.departingGno.attempts && !NOT_RETRIED.has(reason)) {
      const at = run.step + this.#timing.gnoRetrySteps;
      if (at < this.#timing.exitStep) this.#gnoQueue.retryAt(at, m);
    }
    return false;
  }

  /** An SRV 6.21 answered (its state is now read from the device); a failure is retried. */
  #handoverAnswered(run: RunContext, l: GnoLedger, m: number, reason: number): boolean {
    run.count(Figure.handover(l.cohort[m] as CohortCode, reason));
    if (reason === OUTCOME_CODE.DCC_QUARANTINED) return false;
    this.#flags[m] = ((this.#flags[m] as number) & ~DSP_PENDING) | ANSWERED;
    const retry =
      reason !== OUTCOME_CODE.ACCEPTED &&
      (l.dspAttempts[m] as number) < this.#config.dsp.attempts &&
      !NOT_RETRIED.has(reason);
    if (retry) this.#dspQueue?.retryAt(run.step + this.#timing.dspRetrySteps, m);
    return true;
  }

  /** Moves the GPF's figure from its old state to the one its device shows now. */
  #updateState(run: RunContext, l: GnoLedger, m: number): void {
    const before = l.state[m] as GpfStateCode;
    const after = this.#stateOf(run, m);
    if (before === after) return;
    const cohort = l.cohort[m] as CohortCode;
    if (before !== GpfState.Waiting) run.count(Figure.state(cohort, before), -1);
    run.count(Figure.state(cohort, after));
    l.state[m] = after;
  }

  #stateOf(run: RunContext, m: number): GpfStateCode {
    if (((this.#flags[m] as number) & ANSWERED) === 0) return GpfState.Waiting;
    const cell = run.fleet.columns.networkOperatorCell[m];
    if (cell === this.#incoming) return GpfState.HandedOver;
    if (cell === ACB_PARTY) return GpfState.Stranded;
    return GpfState.Unreachable;
  }
}

/**
 * Indexes of the step's SRV 6.15.1 and 6.21 records in (meter, kind) order. Records come in shard
 * order, and a segment has only its own shards'; this order does not depend on that, so retries
 * join each shard's line in the same order whatever the split into segments or workers.
 */
function answerOrder(r: CommandRecordBatch): number[] {
  const ours: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const kind = r.serviceRequest[i];
    if (kind === REPLACEMENT || kind === HANDOVER) ours.push(i);
  }
  return ours.sort(
    (a, b) =>
      (r.meter[a] as number) - (r.meter[b] as number) ||
      (r.serviceRequest[a] as number) - (r.serviceRequest[b] as number),
  );
}

/** A GNO's party index; a name that is no party (a GnoConfig made by hand) is a GnoPlanError. */
function partyIndex(run: RunContext, name: string, what: string): number {
  if (!run.parties.has(name)) {
    throw new GnoPlanError(
      `${what} ${JSON.stringify(name)} is not a party of this run; name one of fleet.networkOperators (parseGnoConfig checks this)`,
    );
  }
  return run.parties.byName(name).index;
}
