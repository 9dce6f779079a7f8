/**
 * What the SoLR plug-in knows during a run, in one explicit object: the parties and steps that
 * matter, each customer of the failed supplier with where its meter is in the scenario, and the
 * queues of the SRP and the SoLR — one of each per shard, served at the shard's share of the
 * hourly rate, so no shard's progress depends on another's (a segment of shards does exactly
 * what the whole run does for them). The plug-in's functions read and change it; nothing else does.
 */
import { FleetFlag, PaymentMode, type RunContext, type ScenarioSpec, ShardQuota, shardsOf } from '@gbfleet/core';
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
  /**
   * The emergency-credit limit in force when the SoLR took the meter, which its revert plan starts
   * from (null: no plan yet). Kept so that a checkpoint saves this number and plans it again.
   */
  revertFromLimitCp: number | null;
  revertSteps: ReturnType<typeof revertPlan>;
  /** The queue of its meter's shard. */
  queue: ShardQueue;
}

/** One shard's share of the SRP's and the SoLR's work: its customers and where each queue stands. */
export interface ShardQueue {
  readonly shard: number;
  /** Its customers are customers[first .. end), in meter order. */
  readonly first: number;
  readonly end: number;
  /** Where the SRP's round-robin goes on (an index into customers). */
  srpNext: number;
  /** The next customer to be sent its first SR 6.23. */
  cosNext: number;
  /** Customers whose SR 6.23 was lost on the way, in the order the records came: sent again once every customer of the shard has had one. */
  cosRetry: Customer[];
}

/** Each sender's hourly rate as a capacity per step, shared among the shards by their share of the fleet. */
export interface SolrQuotas {
  readonly srp: ShardQuota;
  readonly cos: ShardQuota;
  readonly reverts: ShardQuota;
}

export interface SolrState {
  readonly config: SolrConfig;
  readonly stepHours: number;
  /** Party index of the failed supplier, or -1 when the scenario never fails it. */
  failed: number;
  solr: number;
  failStep: number;
  srpStartStep: number;
  appointStep: number;
  cosStartStep: number;
  /** When the failed supplier's certificates stop working (fixed at setup), or null: not within the run. */
  revocationStep: number | null;
  readonly quotas: SolrQuotas;
  /** The customers of the meters this run simulates, in meter order. */
  readonly customers: Customer[];
  /** meter → index into customers, or -1. */
  slotOf: Int32Array;
  /** One per shard this run simulates, in shard order. */
  readonly queues: ShardQueue[];
  /** The step after which every reachable meter was safe, once it happened. */
  safeAt: number | null;
}

export function newSolrState(spec: ScenarioSpec, config: SolrConfig): SolrState {
  const stepHours = spec.stepMinutes / 60;
  // A fractional capacity per step is fine: each shard's allowance adds up to its share over the steps.
  const quota = (perHour: number) => new ShardQuota(perHour * stepHours, spec.fleet.meters, spec.fleet.shardMeters);
  return {
    config,
    stepHours,
    failed: -1,
    solr: -1,
    failStep: 0,
    srpStartStep: 0,
    appointStep: 0,
    cosStartStep: 0,
    revocationStep: null,
    quotas: {
      srp: quota(config.srp.commandsPerHour),
      cos: quota(config.solr.cosPerHour),
      reverts: quota(config.solr.revertsPerHour),
    },
    customers: [],
    slotOf: new Int32Array(0),
    queues: [],
    safeAt: null,
  };
}

/**
 * Every meter this run simulates that is registered to the failed supplier becomes a customer
 * (prepayment ones to make safe), shard by shard, each shard with its own queues.
 */
export function enrolCustomers(state: SolrState, run: RunContext): void {
  const c = run.fleet.columns;
  const shardMeters = run.spec.fleet.shardMeters;
  state.slotOf = new Int32Array(run.fleet.meters).fill(-1);
  for (const shard of shardsOf(run.owned, shardMeters)) {
    const lo = shard * shardMeters;
    const hi = Math.min(run.fleet.meters, lo + shardMeters);
    const first = state.customers.length;
    let end = first;
    for (let m = lo; m < hi; m++) if (c.registeredSupplier[m] === state.failed) end++;
    const queue: ShardQueue = { shard, first, end, srpNext: first, cosNext: first, cosRetry: [] };
    state.queues.push(queue);
    for (let m = lo; m < hi; m++) {
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
        revertFromLimitCp: null,
        revertSteps: [],
        queue,
      });
    }
  }
}
