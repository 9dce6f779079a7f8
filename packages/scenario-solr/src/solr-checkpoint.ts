/**
 * The SoLR plug-in's state in a checkpoint (core's ScenarioPlugin `checkpoint` / `restore`): one
 * column per customer field, so that the 250,000 customers of a full-size run are a few typed
 * arrays rather than objects. What can be worked out again is not saved: each shard's queue bounds
 * (from the customers' meters, which are in meter order), the meter → customer index, and each
 * revert plan (revertPlan is cheap and pure, given the limit it started from).
 */
import { type RunContext, shardsOf } from '@gbfleet/core';
import { revertPlan } from './make-safe.js';
import type { Customer, ShardQueue, SolrState } from './solr-state.js';

export interface SolrCheckpoint {
  /**
   * Saved, not planned again: in a segment the plan builds every other shard's meters again
   * (revocation-plan.ts, 0.7 s at full size).
   */
  revocationStep: number | null;
  safeAt: number | null;
  customers: CustomerColumns;
  /** One per shard this run simulates, in shard order (as SolrState.queues). */
  queues: ShardQueueState[];
}

/** Customer i's fields at index i, customers in meter order. */
export interface CustomerColumns {
  /**
   * Who the customers are and what their meters were at enrolment: saved, because the fleet has
   * moved on since (registration, calendars, payment modes and limits change as the run goes).
   */
  meter: Uint32Array;
  prepayment: Uint8Array;
  vulnerable: Uint8Array;
  originalCalendar: Uint8Array;
  originalEmergencyCreditCp: Int32Array;
  /** Where each one is. */
  phase: Uint8Array;
  next: Uint8Array;
  waiting: Uint8Array;
  /** How many make-safe actions the meter accepted: always the strategy's first ones. */
  applied: Uint8Array;
  credentialed: Uint8Array;
  lastRevertStep: Int32Array;
  /** The limit its revert plan started from; NaN: no plan yet. */
  revertFromLimitCp: Float64Array;
}

export interface ShardQueueState {
  srpNext: number;
  cosNext: number;
  /** Indexes into customers, in the order they are to be sent again. */
  cosRetry: Int32Array;
}

export function saveSolrState(state: SolrState): SolrCheckpoint {
  const { customers } = state;
  const u8 = (field: (x: Customer) => number) => Uint8Array.from(customers, field);
  return {
    revocationStep: state.revocationStep,
    safeAt: state.safeAt,
    customers: {
      meter: Uint32Array.from(customers, (x) => x.meter),
      prepayment: u8((x) => Number(x.prepayment)),
      vulnerable: u8((x) => Number(x.vulnerable)),
      originalCalendar: u8((x) => x.original.calendar),
      originalEmergencyCreditCp: Int32Array.from(customers, (x) => x.original.emergencyCreditCp),
      phase: u8((x) => x.phase),
      next: u8((x) => x.next),
      waiting: u8((x) => Number(x.waiting)),
      applied: u8((x) => x.applied.length),
      credentialed: u8((x) => Number(x.credentialed)),
      lastRevertStep: Int32Array.from(customers, (x) => x.lastRevertStep),
      revertFromLimitCp: Float64Array.from(customers, (x) => x.revertFromLimitCp ?? Number.NaN),
    },
    queues: state.queues.map((q) => ({
      srpNext: q.srpNext,
      cosNext: q.cosNext,
      cosRetry: Int32Array.from(q.cosRetry, (x) => state.slotOf[x.meter] as number),
    })),
  };
}

/**
 * Puts the customers and queues of `saved` into a state whose parties and steps are set and
 * which has no customers yet (what SolrPlugin's setup makes before it enrols them).
 */
export function restoreSolrState(state: SolrState, saved: SolrCheckpoint, run: RunContext): void {
  const c = saved.customers;
  const strategy = state.config.srp.strategy;
  state.revocationStep = saved.revocationStep;
  state.safeAt = saved.safeAt;
  state.slotOf = new Int32Array(run.fleet.meters).fill(-1);
  const shardMeters = run.spec.fleet.shardMeters;
  let end = 0;
  for (const [q, shard] of shardsOf(run.owned, shardMeters).entries()) {
    const s = saved.queues[q] as ShardQueueState;
    // The shard's customers are the next ones in meter order, as enrolCustomers made them.
    const first = end;
    while (end < c.meter.length && (c.meter[end] as number) < (shard + 1) * shardMeters) end++;
    const queue: ShardQueue = { shard, first, end, srpNext: s.srpNext, cosNext: s.cosNext, cosRetry: [] };
    state.queues.push(queue);
    for (let k = first; k < end; k++) {
      const applied = strategy.slice(0, c.applied[k]);
      const original = {
        calendar: c.originalCalendar[k] as number,
        emergencyCreditCp: c.originalEmergencyCreditCp[k] as number,
      };
      const limit = c.revertFromLimitCp[k] as number;
      const planned = !Number.isNaN(limit);
      state.slotOf[c.meter[k] as number] = k;
      state.customers.push({
        meter: c.meter[k] as number,
        prepayment: c.prepayment[k] === 1,
        vulnerable: c.vulnerable[k] === 1,
        phase: c.phase[k] as number,
        next: c.next[k] as number,
        waiting: c.waiting[k] === 1,
        applied,
        original,
        credentialed: c.credentialed[k] === 1,
        lastRevertStep: c.lastRevertStep[k] as number,
        revertFromLimitCp: planned ? limit : null,
        revertSteps: planned ? revertPlan(applied, original, limit) : [],
        queue,
      });
    }
  }
  for (const [q, s] of saved.queues.entries()) {
    const queue = state.queues[q] as ShardQueue;
    for (const k of s.cosRetry) queue.cosRetry.push(state.customers[k] as Customer);
  }
}
