/**
 * When delayed revocation ends (SEC L16): at the step after the SoLR's planned change-of-supplier
 * programme ends, that is after the last shard has sent SR 6.23 once to each of its customers.
 * A shard sends its first SR 6.23s before any retry, at its ShardQuota allowance from the SoLR's
 * start, so its end is a pure function of its customer count: every segment computes the same
 * step, and the whole run's revocation is exactly the step its queues empty.
 */
import { buildFleet, fleetPartiesOf, type RunContext, type ShardQuota } from '@gbfleet/core';
import type { SolrState } from './solr-state.js';

/**
 * The failed supplier's customers in each shard of the fleet (index: shard). Shards this run
 * simulates are counted from its customers; the others' meters are not built here, so they are
 * built again from their pure build functions, one shard at a time into a scratch fleet, and only
 * their registered supplier is read: about the cost of building the meters a segment does not own
 * (0.7 s for the 1.87 million outside one shard of 2,000,000); each scratch fleet is dropped once
 * its shard is counted. The plan thus needs the fleet-wide counts, and nothing else fleet-wide.
 */
export function customersPerShard(state: SolrState, run: RunContext): number[] {
  const fleet = run.spec.fleet;
  const shards = Math.ceil(fleet.meters / fleet.shardMeters);
  const known = new Map(state.queues.map((q) => [q.shard, q.end - q.first]));
  const parties = fleetPartiesOf(fleet, run.parties);
  return Array.from({ length: shards }, (_, shard) => {
    const count = known.get(shard);
    if (count !== undefined) return count;
    const lo = shard * fleet.shardMeters;
    const hi = Math.min(fleet.meters, lo + fleet.shardMeters);
    // A fleet of hi meters is the first hi meters of the run's fleet: build just [lo, hi).
    const scratch = buildFleet({ ...fleet, meters: hi }, run.spec.seed, parties, { lo, hi }).columns;
    let n = 0;
    for (let m = lo; m < hi; m++) if (scratch.registeredSupplier[m] === state.failed) n++;
    return n;
  });
}

/**
 * The step at which the failed supplier's certificates are revoked: one after the last shard's
 * last first SR 6.23 (one after the failure when it had no customers), or null when some shard's
 * programme runs past `lastStep`, the run's last step.
 */
export function plannedRevocationStep(
  customers: readonly number[],
  quota: ShardQuota,
  failStep: number,
  cosStartStep: number,
  lastStep: number,
): number | null {
  let end = failStep;
  for (const [shard, n] of customers.entries()) {
    if (n === 0) continue;
    const done = lastFirstSend(quota, shard, n, cosStartStep, lastStep);
    if (done === null) return null;
    end = Math.max(end, done);
  }
  return end + 1;
}

/** The step in which `shard` sends the first SR 6.23 to the last of its `n` customers, or null after `lastStep`. */
function lastFirstSend(
  quota: ShardQuota,
  shard: number,
  n: number,
  startStep: number,
  lastStep: number,
): number | null {
  let sent = 0;
  for (let step = startStep; step <= lastStep; step++) {
    sent += quota.at(shard, step - startStep);
    if (sent >= n) return step;
  }
  return null;
}
