/**
 * The run's fleet built by the pool's workers rather than on the main thread: the meters this
 * process owns, cut into ranges of BUILD_RANGE_METERS, one task each, into the shared buffers
 * (worker/fleet-build.ts). Every meter is a pure function of (seed, meter), so the fleet is byte
 * for byte the one `buildFleet` makes on one thread, for any worker count. The workers fill each
 * range's as-built `meters` rows too, in shared memory of the range's part of the rows, so the
 * main thread copies nothing, and each part can be dropped once written.
 */
import type { FleetParties } from '../fleet/build-fleet.js';
import { sharedSnapshot } from '../fleet/fleet-snapshot.js';
import type { CryptoPool } from '../pool/crypto-pool.js';
import type { MeterSnapshot } from '../run/run-records.js';
import type { FleetSpec } from '../scenario/scenario-spec.js';
import type { MeterRange } from './segment-range.js';

/** Meters per build task: enough that a task's overhead is nothing, few enough to share the work out evenly. */
export const BUILD_RANGE_METERS = 122_880;

/**
 * Build ranges per part of the `meters` rows (the sink writes a part at a time, the run database
 * in one transaction). Parts of whole row groups (DuckDB's hold 122,880 rows) leave the run's
 * final checkpoint nothing to merge: parts of 131,072 rows cost it 1.5 s per 4,000,000 meters.
 * Eight make few enough transactions that their fixed cost does not count either.
 */
export const RANGES_PER_ROWS_PART = 8;

/**
 * Builds meters [owned.lo, owned.hi) of the pool's fleet; returns their `meters` rows as built,
 * in parts of `rangesPerPart` ranges, in meter order.
 */
export async function buildFleetInPool(
  pool: CryptoPool,
  spec: FleetSpec,
  seed: string,
  parties: FleetParties,
  owned: Pick<MeterRange, 'lo' | 'hi'>,
  rangeMeters = BUILD_RANGE_METERS,
  rangesPerPart = RANGES_PER_ROWS_PART,
): Promise<MeterSnapshot[]> {
  const parts: MeterSnapshot[] = [];
  const ranges: Array<{ lo: number; hi: number; shard: number; snapshot: MeterSnapshot }> = [];
  const partMeters = rangeMeters * rangesPerPart;
  for (let partLo = owned.lo; partLo < owned.hi; partLo += partMeters) {
    const partHi = Math.min(owned.hi, partLo + partMeters);
    const snapshot = sharedSnapshot({ lo: partLo, hi: partHi });
    parts.push(snapshot);
    for (let lo = partLo; lo < partHi; lo += rangeMeters) {
      // A failure names the shard the range starts in.
      ranges.push({ lo, hi: Math.min(partHi, lo + rangeMeters), shard: Math.floor(lo / spec.shardMeters), snapshot });
    }
  }
  await pool.buildFleet({ spec, seed, parties }, ranges);
  return parts;
}
