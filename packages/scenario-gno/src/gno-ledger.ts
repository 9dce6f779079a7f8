/**
 * What the plug-in did to each GPF of the departing GNO, kept for analysts and tests: its cohort
 * (whether the DSP tracks its counter), whether the network sale left it out, the counters and
 * attempts of both senders, and its end state. Arrays are fleet-sized and indexed by meter, so a
 * lookup never needs a map; `gpfs` lists the meters that matter, ascending: those of the meters
 * this run owns (all of them, or one segment's). Cohort and network-sale
 * draws are keyed by (seed, stream, meter): a GPF lands in the same cohort whatever the fleet size
 * or the worker count.
 */
import { type FleetState, Fuel, meterRandom, type RunContext } from '@gbfleet/core';
import type { CounterTracking, GnoConfig } from './gno-config.js';
import { Cohort, type CohortCode } from './gno-figures.js';

export interface GnoLedger {
  /** The departing GNO's GPFs among the owned meters at its `gno-leaves` event, ascending. */
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

/** The cohorts a run has, in the order their figures appear. */
export function cohortsOf(counterTracking: CounterTracking): readonly CohortCode[] {
  if (counterTracking === 'on') return [Cohort.Tracking];
  if (counterTracking === 'off') return [Cohort.NoTracking];
  return [Cohort.Tracking, Cohort.NoTracking];
}

/** The gas meters in `owned` whose network operator is `departing`, ascending (another segment's are its own). */
export function gpfsOf(fleet: FleetState, owned: { lo: number; hi: number }, departing: number): Uint32Array {
  const c = fleet.columns;
  const gpfs: number[] = [];
  for (let m = owned.lo; m < owned.hi; m++)
    if (c.fuel[m] === Fuel.Gas && c.networkOperator[m] === departing) gpfs.push(m);
  return Uint32Array.from(gpfs);
}

/** A ledger for `gpfs` on a fleet of `meters`, with nothing sent yet. */
export function emptyLedger(gpfs: Uint32Array, meters: number): GnoLedger {
  return {
    gpfs,
    cohort: new Uint8Array(meters),
    missed: new Uint8Array(meters),
    gnoCounter: new BigUint64Array(meters),
    recordedCounter: new BigUint64Array(meters),
    dspCounter: new BigUint64Array(meters),
    gnoAttempts: new Uint8Array(meters),
    dspAttempts: new Uint8Array(meters),
    state: new Uint8Array(meters),
  };
}

/**
 * A ledger between two steps, for a checkpoint: its GPFs and, one entry per GPF in their order,
 * what changes as the run goes. Cohorts and the network sale are not kept: they are per-GPF
 * hashes, drawn again when the run resumes (drawCohortsAndSale).
 */
export interface GnoLedgerState {
  gpfs: Uint32Array;
  gnoCounter: BigUint64Array;
  recordedCounter: BigUint64Array;
  dspCounter: BigUint64Array;
  gnoAttempts: Uint8Array;
  dspAttempts: Uint8Array;
  state: Uint8Array;
}

/** The entries that change, gathered per GPF: a segment keeps only its own GPFs'. */
export function saveLedger(l: GnoLedger): GnoLedgerState {
  const { gpfs } = l;
  const u8 = (column: Uint8Array) => Uint8Array.from(gpfs, (m) => column[m] as number);
  const u64 = (column: BigUint64Array) => BigUint64Array.from(gpfs, (m) => column[m] as bigint);
  return {
    gpfs: gpfs.slice(),
    gnoCounter: u64(l.gnoCounter),
    recordedCounter: u64(l.recordedCounter),
    dspCounter: u64(l.dspCounter),
    gnoAttempts: u8(l.gnoAttempts),
    dspAttempts: u8(l.dspAttempts),
    state: u8(l.state),
  };
}

/** A ledger on a fleet of `meters` with the saved entries back in place (cohort and missed still to draw). */
export function ledgerFromState(saved: GnoLedgerState, meters: number): GnoLedger {
  const l = emptyLedger(saved.gpfs.slice(), meters);
  saved.gpfs.forEach((m, i) => {
    l.gnoCounter[m] = saved.gnoCounter[i] as bigint;
    l.recordedCounter[m] = saved.recordedCounter[i] as bigint;
    l.dspCounter[m] = saved.dspCounter[i] as bigint;
    l.gnoAttempts[m] = saved.gnoAttempts[i] as number;
    l.dspAttempts[m] = saved.dspAttempts[i] as number;
    l.state[m] = saved.state[i] as number;
  });
  return l;
}

/** Keys of the two per-GPF draws, taken once from the run's streams. */
export interface GpfDrawKeys {
  cohort: number;
  missed: number;
}

export function gpfDrawKeys(run: RunContext): GpfDrawKeys {
  return { cohort: run.random('gno-cohort', 0).nextU32(), missed: run.random('gno-missed', 0).nextU32() };
}

/** Every GPF's cohort and whether the network sale leaves it out: the same at `gno-leaves` and on a resumed run. */
export function drawCohortsAndSale(l: GnoLedger, config: GnoConfig, keys: GpfDrawKeys): void {
  for (const m of l.gpfs) {
    l.cohort[m] = drawCohort(config.dsp, keys, m);
    l.missed[m] = drawMissed(config.leave.missedShare, keys, m) ? 1 : 0;
  }
}

/** The GPF's cohort: fixed by the policy, or (compare) a seeded draw against the tracking share. */
function drawCohort(dsp: GnoConfig['dsp'], keys: GpfDrawKeys, meter: number): CohortCode {
  if (dsp.counterTracking !== 'compare') return cohortsOf(dsp.counterTracking)[0] as CohortCode;
  return meterRandom(keys.cohort, 1, meter, 0) < dsp.trackingShare ? Cohort.Tracking : Cohort.NoTracking;
}

/** Whether the network sale leaves the GPF out (the departing GNO never sends it SRV 6.15.1). */
function drawMissed(missedShare: number, keys: GpfDrawKeys, meter: number): boolean {
  return meterRandom(keys.missed, 1, meter, 0) < missedShare;
}
