/**
 * Segments: one run split into N processes, each simulating a contiguous range of whole shards.
 * The shard (`fleet.shardMeters` contiguous meters) is the unit of everything that couples meters
 * (originator-counter order, ADT thresholds, plug-ins' capacities), so segment K computes exactly
 * the rows that the single run computes for its meters (docs/engine.md, "Segments").
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

/** Segment `index` (0-based) of `count`. */
export interface SegmentSpec {
  index: number;
  count: number;
}

/** The meters one process simulates: [lo, hi), whole shards firstShard..firstShard + shards - 1. */
export interface MeterRange {
  readonly lo: number;
  readonly hi: number;
  readonly firstShard: number;
  readonly shards: number;
}

/** Shards are split as evenly as they go: segment K gets shards floor(K·S/N) .. floor((K+1)·S/N) - 1. */
export function segmentRange(meters: number, shardMeters: number, segment?: SegmentSpec): MeterRange {
  const totalShards = Math.ceil(meters / shardMeters);
  if (segment === undefined) return { lo: 0, hi: meters, firstShard: 0, shards: totalShards };
  const { index, count } = segment;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
    throw new InvalidArgumentError(
      `segment ${index}/${count}: needs whole numbers with 0 ≤ K < N (K counts from 0), for example 0/4 to 3/4`,
    );
  }
  if (count > totalShards) {
    throw new InvalidArgumentError(
      `cannot split ${meters.toLocaleString('en-GB')} meters into ${count} segments: they make ${totalShards} shard${totalShards === 1 ? '' : 's'} of ${shardMeters.toLocaleString('en-GB')} meters and a segment is whole shards; use at most ${totalShards} segments or a smaller fleet.shardMeters (--shard-meters)`,
    );
  }
  const first = Math.floor((index * totalShards) / count);
  const end = Math.floor(((index + 1) * totalShards) / count);
  return {
    lo: first * shardMeters,
    hi: Math.min(meters, end * shardMeters),
    firstShard: first,
    shards: end - first,
  };
}
