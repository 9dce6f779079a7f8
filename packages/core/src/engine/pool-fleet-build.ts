/**
 * The run's fleet built by the pool's workers rather than on the main thread: the meters this
 * process owns, cut into ranges of BUILD_RANGE_METERS, one task each, into the shared buffers
 * (worker/fleet-build.ts). Every meter is a pure function of (seed, meter), so the fleet is byte
 * for byte the one `buildFleet` makes on one thread, for any worker count. The workers fill each
 * range's as-built `meters` rows too, in shared memory of the range's own, so the main thread
 * copies nothing, and each range's rows can be dropped once written.
 */
import type { FleetParties } from '../fleet/build-fleet.js';
import { sharedSnapshot } from '../fleet/fleet-snapshot.js';
import type { CryptoPool } from '../pool/crypto-pool.js';
import type { MeterSnapshot } from '../run/run-records.js';
import type { FleetSpec } from '../scenario/scenario-spec.js';
import type { MeterRange } from './segment-range.js';

/** Meters per build task: enough that a task's overhead is nothing, few enough to share the work out evenly. */
export const BUILD_RANGE_METERS = 1 << 17;

/** Builds meters [owned.lo, owned.hi) of the pool's fleet; returns their `meters` rows as built, range by range. */
export async function buildFleetInPool(
  pool: CryptoPool,
  spec: FleetSpec,
  seed: string,
  parties: FleetParties,
  owned: Pick<MeterRange, 'lo' | 'hi'>,
  rangeMeters = BUILD_RANGE_METERS,
): Promise<MeterSnapshot[]> {
  const ranges: Array<{ lo: number; hi: number; shard: number; snapshot: MeterSnapshot }> = [];
  for (let lo = owned.lo; lo < owned.hi; lo += rangeMeters) {
    const hi = Math.min(owned.hi, lo + rangeMeters);
    // A failure names the shard the range starts in.
    ranges.push({ lo, hi, shard: Math.floor(lo / spec.shardMeters), snapshot: sharedSnapshot({ lo, hi }) });
  }
  await pool.buildFleet({ spec, seed, parties }, ranges);
  return ranges.map((r) => r.snapshot);
}
