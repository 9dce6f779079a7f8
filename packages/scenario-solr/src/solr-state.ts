/**
 * What the SoLR plug-in knows during a run, in one explicit object: the parties and steps that
 * matter, each customer of the failed supplier with where its meter is in the scenario, and the
 * queues of the SRP and the SoLR. The plug-in's functions read and change it; nothing else does.
 */
import { FleetFlag, PaymentMode, type RunContext, type ScenarioSpec } from '@gbfleet/core';
import type { MakeSafeAction, revertPlan } from './make-safe.js';
import type { SolrConfig } from './solr-config.js';

/** Where a customer's meter is in the scenario. */
export const Phase = {
  /** Waiting for (or in the middle of) make-safe. */
  MakingSafe: 0,
  Safe: 1,
  /** Make-safe cannot reach it (no WAN) or was refused for good. */
  Unreachable: 2,
  /** Credentials now with the SoLR; reverting. */
  Reverting: 3,
  Done: 4,
} as const;

export interface Customer {
  meter: number;
  prepayment: boolean;
  vulnerable: boolean;
  phase: number;
  /** Index of the next make-safe action to send (or revert step). */
  next: number;
  /** A command for this customer awaits its outcome. */
  waiting: boolean;
  /** Make-safe actions the meter accepted, in order. */
  applied: MakeSafeAction[];
  original: { calendar: number; emergencyCreditCp: number };
  credentialed: boolean;
  lastRevertStep: number;
  revertSteps: ReturnType<typeof revertPlan>;
}

export interface SolrState {
  readonly config: SolrConfig;
  readonly stepHours: number;
  /** Party index of the failed supplier, or -1 when the scenario never fails it. */
  failed: number;
  solr: number;
  failStep: number;
  appointStep: number;
  cosStartStep: number;
  readonly customers: Customer[];
  /** meter → index into customers, or -1. */
  slotOf: Int32Array;
  /** Where the SRP's round-robin goes on. */
  srpQueue: number;
  /** Customers sent their SR 6.23 so far, in order. */
  cosQueue: number;
  /** Customers whose SR 6.23 was lost on the way: sent again before the queue moves on. */
  cosRetry: number[];
  /** The step after which every reachable meter was safe, once it happened. */
  safeAt: number | null;
  offSupplyPeak: number;
}

export function newSolrState(spec: ScenarioSpec, config: SolrConfig): SolrState {
  return {
    config,
    stepHours: spec.stepMinutes / 60,
    failed: -1,
    solr: -1,
    failStep: 0,
    appointStep: 0,
    cosStartStep: 0,
    customers: [],
    slotOf: new Int32Array(0),
    srpQueue: 0,
    cosQueue: 0,
    cosRetry: [],
    safeAt: null,
    offSupplyPeak: 0,
  };
}

/** Commands per step for a rate per hour: at least one. */
export function perStep(state: SolrState, perHour: number): number {
  return Math.max(1, Math.round(perHour * state.stepHours));
}

/** Every meter registered to the failed supplier becomes a customer (prepayment ones to make safe). */
export function enrolCustomers(state: SolrState, run: RunContext): void {
  const c = run.fleet.columns;
  state.slotOf = new Int32Array(run.fleet.meters).fill(-1);
  for (let m = 0; m < run.fleet.meters; m++) {
    if (c.registeredSupplier[m] !== state.failed) continue;
    state.slotOf[m] = state.customers.length;
    const prepayment = c.paymentMode[m] === PaymentMode.Prepayment;
    state.customers.push({
      meter: m,
      prepayment,
      vulnerable: ((c.flags[m] as number) & FleetFlag.Vulnerable) !== 0,
      phase: prepayment ? Phase.MakingSafe : Phase.Safe,
      next: 0,
      waiting: false,
      applied: [],
      original: { calendar: c.calendar[m] as number, emergencyCreditCp: c.emergencyCreditLimitCp[m] as number },
      credentialed: false,
      lastRevertStep: -1,
      revertSteps: [],
    });
  }
}
