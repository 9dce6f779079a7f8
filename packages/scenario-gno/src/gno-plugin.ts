/**
 * The plug-in for one run: a GNO leaves the DCC and a new one takes over its GPFs (MP128).
 *
 *   gno-leaves     the departing GNO replaces its certificate in each GPF's network-operator cell
 *                  with the ACB's (SRV 6.15.1, signed by the GNO, its own counters), at its rate,
 *                  retrying failures, until its certificate is revoked at its exit
 *   gno-handover   registration moves to the incoming GNO; the DSP asks the ACB to place the
 *                  incoming GNO's certificate (SRV 6.21, signed by the ACB, the cell's occupant),
 *                  with counters that track the 6.15.1's or not (per cohort), retrying failures
 *
 * Everything happens on the main thread between shard tasks; the meters decide every outcome.
 * One attempt per GPF and sender is in flight at a time, so the next counter is chosen only after
 * the meter (or the DCC) has answered the last.
 */
import {
  ACB_PARTY,
  clockCounter,
  Fuel,
  meterRandom,
  type RunContext,
  type ScenarioPlugin,
  type ScenarioSpec,
  type StepRecords,
  type TimelineEventSpec,
  trackedCounter,
} from '@gbfleet/core';
import { OUTCOME_CODE, ServiceRequest } from '@gbfleet/gbcs';
import { GNO_EVENT_TYPES, type GnoConfig } from './gno-config.js';
import { Cohort, type CohortCode, Figure, GpfState, type GpfStateCode } from './gno-figures.js';
import { SendQueue } from './send-queue.js';
import { hoursToSteps } from './step-hours.js';

/** What the plug-in did to each GPF, for analysts and tests (arrays are indexed by meter). */
export interface GnoLedger {
  /** The departing GNO's GPFs at its `gno-leaves` event, ascending. */
  readonly gpfs: Uint32Array;
  readonly cohort: Uint8Array;
  /** 1: never sent SRV 6.15.1 (network sale). */
  readonly missed: Uint8Array;
  /** Counter of the GNO's latest SRV 6.15.1 to the GPF (0: none sent). */
  readonly gnoCounter: BigUint64Array;
  /** The DSP's record of the accepted SRV 6.15.1's counter (tracking cohort only; 0: none). */
  readonly recordedCounter: BigUint64Array;
  /** Counter of the DSP's latest SRV 6.21 to the GPF (0: none sent). */
  readonly dspCounter: BigUint64Array;
  readonly gnoAttempts: Uint8Array;
  readonly dspAttempts: Uint8Array;
  /** GpfState, from the device's cell once a 6.21 has been answered. */
  readonly state: Uint8Array;
}

export interface GnoPlugin extends ScenarioPlugin {
  /** Null until the `gno-leaves` event has fired. */
  ledger(): GnoLedger | null;
}

const GNO_PENDING = 1;
const DSP_PENDING = 2;
const ANSWERED = 4;
/** Final at the DCC: retrying cannot help (no WAN at all; the sender's certificate is revoked). */
const NOT_RETRIED = new Set<number>([OUTCOME_CODE.WAN_NOT_DELIVERED, OUTCOME_CODE.DCC_CERTIFICATE_REVOKED]);

export function createGnoPlugin(spec: ScenarioSpec, config: GnoConfig): GnoPlugin {
  const perStep = (perHour: number) => Math.max(1, Math.round((perHour * spec.stepMinutes) / 60));
  const gnoPerStep = perStep(config.departingGno.commandsPerHour);
  const dspPerStep = perStep(config.dsp.commandsPerHour);
  const gnoRetrySteps = hoursToSteps(config.departingGno.retryAfterHours, spec.stepMinutes);
  const dspRetrySteps = hoursToSteps(config.dsp.retryAfterHours, spec.stepMinutes);
  const leadSteps = hoursToSteps(config.leave.counterLeadHours, spec.stepMinutes, 'nearest');
  const exitStep = config.leave.step + hoursToSteps(config.leave.exitAfterHours, spec.stepMinutes);

  const gnoQueue = new SendQueue();
  const dspQueue = new SendQueue();
  let ledger: GnoLedger | null = null;
  let flags = new Uint8Array(0);
  let departing = -1;
  let incoming = -1;
  let handingOver = false;
  const { counterTracking, trackingShare } = config.dsp;
  const cohorts: readonly CohortCode[] =
    counterTracking === 'on'
      ? [Cohort.Tracking]
      : counterTracking === 'off'
        ? [Cohort.NoTracking]
        : [Cohort.Tracking, Cohort.NoTracking];

  function leave(run: RunContext): void {
    const c = run.fleet.columns;
    const n = run.fleet.meters;
    departing = run.parties.byName(config.leave.operator).index;
    const gpfs: number[] = [];
    for (let m = 0; m < n; m++) if (c.fuel[m] === Fuel.Gas && c.networkOperator[m] === departing) gpfs.push(m);
    const l: GnoLedger = {
      gpfs: Uint32Array.from(gpfs),
      cohort: new Uint8Array(n),
      missed: new Uint8Array(n),
      gnoCounter: new BigUint64Array(n),
      recordedCounter: new BigUint64Array(n),
      dspCounter: new BigUint64Array(n),
      gnoAttempts: new Uint8Array(n),
      dspAttempts: new Uint8Array(n),
      state: new Uint8Array(n),
    };
    flags = new Uint8Array(n);
    // Per-GPF draws keyed by (seed, stream, meter): the same GPF lands in the same cohort
    // whatever the fleet size or the worker count.
    const cohortKey = run.random('gno-cohort', 0).nextU32();
    const missedKey = run.random('gno-missed', 0).nextU32();
    run.count(Figure.gpfs, gpfs.length);
    run.count(Figure.missed, 0);
    for (const cohort of cohorts) run.count(Figure.cohort(cohort), 0);
    for (const m of gpfs) {
      const cohort =
        counterTracking === 'compare'
          ? meterRandom(cohortKey, 1, m, 0) < trackingShare
            ? Cohort.Tracking
            : Cohort.NoTracking
          : (cohorts[0] as CohortCode);
      l.cohort[m] = cohort;
      run.count(Figure.cohort(cohort));
      if (meterRandom(missedKey, 1, m, 0) < config.leave.missedShare) l.missed[m] = 1;
      else gnoQueue.enqueue(m);
    }
    run.count(Figure.missed, gpfs.length - gnoQueue.waiting);
    // Its DCC User status ends: from then on the DCC refuses anything it signs.
    const party = run.parties.at(departing);
    party.revokedAtStep = Math.min(party.revokedAtStep ?? exitStep, exitStep);
    ledger = l;
  }

  function handover(run: RunContext): void {
    if (!ledger || !config.handover) return;
    incoming = run.parties.byName(config.handover.to).index;
    const c = run.fleet.columns;
    // Registration moves at once; the devices follow as the DSP reaches them.
    for (const m of ledger.gpfs) {
      c.networkOperator[m] = incoming;
      dspQueue.enqueue(m);
    }
    for (const cohort of cohorts) {
      for (const state of [GpfState.HandedOver, GpfState.Stranded, GpfState.Unreachable] as const) {
        run.count(Figure.state(cohort, state), 0);
      }
    }
    handingOver = true;
  }

  function sendReplacements(run: RunContext, l: GnoLedger): void {
    if (run.step === exitStep) {
      const c = run.fleet.columns;
      let holding = 0;
      for (const m of l.gpfs) if (c.networkOperatorCell[m] === departing) holding++;
      run.count(Figure.atExit, holding);
      gnoQueue.clear();
    }
    if (run.step >= exitStep) return;
    gnoQueue.take(run.step, gnoPerStep).forEach((m, n) => {
      const counter = clockCounter(run.step, n, leadSteps);
      l.gnoCounter[m] = counter;
      l.gnoAttempts[m] = (l.gnoAttempts[m] as number) + 1;
      flags[m] = (flags[m] as number) | GNO_PENDING;
      run.send({
        sender: departing,
        meter: m,
        kind: ServiceRequest.UpdateNetworkOperatorCredentials,
        argument: ACB_PARTY,
        counter,
      });
    });
  }

  function sendHandovers(run: RunContext, l: GnoLedger): void {
    dspQueue.take(run.step, dspPerStep).forEach((m, n) => {
      const attempt = (l.dspAttempts[m] as number) + 1;
      const recorded = l.recordedCounter[m] as bigint;
      // With tracking the DSP exceeds the counter it recorded; without (or with nothing recorded
      // yet) it uses its own clock, which may be below the GNO's.
      const counter = recorded > 0n ? trackedCounter(recorded, attempt) : clockCounter(run.step, n);
      l.dspCounter[m] = counter;
      l.dspAttempts[m] = attempt;
      flags[m] = (flags[m] as number) | DSP_PENDING;
      run.send({
        sender: ACB_PARTY,
        meter: m,
        kind: ServiceRequest.NetworkOperatorHandover,
        argument: incoming,
        counter,
      });
    });
  }

  function stateOf(run: RunContext, m: number): GpfStateCode {
    if (((flags[m] as number) & ANSWERED) === 0) return GpfState.Waiting;
    const cell = run.fleet.columns.networkOperatorCell[m];
    if (cell === incoming) return GpfState.HandedOver;
    if (cell === ACB_PARTY) return GpfState.Stranded;
    return GpfState.Unreachable;
  }

  function afterStep(run: RunContext, records: StepRecords): void {
    const l = ledger;
    if (!l) return;
    const r = records.commands;
    const touched: number[] = [];
    // Records come in shard order, which depends on the shard size: take ours in (meter, kind)
    // order instead, so retries join the line in the same order whatever the split.
    const ours: number[] = [];
    for (let i = 0; i < r.length; i++) {
      const kind = r.serviceRequest[i];
      if (kind === ServiceRequest.UpdateNetworkOperatorCredentials || kind === ServiceRequest.NetworkOperatorHandover) {
        ours.push(i);
      }
    }
    ours.sort(
      (a, b) =>
        (r.meter[a] as number) - (r.meter[b] as number) ||
        (r.serviceRequest[a] as number) - (r.serviceRequest[b] as number),
    );
    for (const i of ours) {
      const m = r.meter[i] as number;
      const kind = r.serviceRequest[i];
      const reason = r.reason[i] as number;
      const f = flags[m] as number;
      if (kind === ServiceRequest.UpdateNetworkOperatorCredentials && r.sender[i] === departing && f & GNO_PENDING) {
        run.count(Figure.replacement(reason));
        if (reason === OUTCOME_CODE.DCC_QUARANTINED) continue;
        flags[m] = f & ~GNO_PENDING;
        if (reason === OUTCOME_CODE.ACCEPTED) {
          if (l.cohort[m] === Cohort.Tracking) l.recordedCounter[m] = l.gnoCounter[m] as bigint;
          touched.push(m);
        } else if ((l.gnoAttempts[m] as number) < config.departingGno.attempts && !NOT_RETRIED.has(reason)) {
          const at = run.step + gnoRetrySteps;
          if (at < exitStep) gnoQueue.retryAt(at, m);
        }
      } else if (kind === ServiceRequest.NetworkOperatorHandover && r.sender[i] === ACB_PARTY && f & DSP_PENDING) {
        run.count(Figure.handover(l.cohort[m] as CohortCode, reason));
        if (reason === OUTCOME_CODE.DCC_QUARANTINED) continue;
        flags[m] = (f & ~DSP_PENDING) | ANSWERED;
        touched.push(m);
        if (
          reason !== OUTCOME_CODE.ACCEPTED &&
          (l.dspAttempts[m] as number) < config.dsp.attempts &&
          !NOT_RETRIED.has(reason)
        ) {
          dspQueue.retryAt(run.step + dspRetrySteps, m);
        }
      }
    }
    for (const m of touched) {
      const before = l.state[m] as GpfStateCode;
      const after = stateOf(run, m);
      if (before === after) continue;
      const cohort = l.cohort[m] as CohortCode;
      if (before !== GpfState.Waiting) run.count(Figure.state(cohort, before), -1);
      run.count(Figure.state(cohort, after));
      l.state[m] = after;
    }
  }

  return {
    name: 'gno',
    eventTypes: GNO_EVENT_TYPES,
    ledger: () => ledger,
    onEvent(event: TimelineEventSpec, run: RunContext) {
      if (event.type === 'gno-leaves') leave(run);
      else if (event.type === 'gno-handover') handover(run);
    },
    beforeStep(run: RunContext) {
      if (!ledger) return;
      sendReplacements(run, ledger);
      if (handingOver) sendHandovers(run, ledger);
    },
    afterStep,
  };
}
