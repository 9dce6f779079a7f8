/**
 * A rate shared by the shards: a plug-in's capacity (commands an hour, engineers a day…) served
 * shard by shard, each shard getting its share of the rate by its share of the fleet's meters.
 * What one shard may do then never depends on another shard's queue, so a segment of whole
 * shards does exactly what the whole run does for its meters (docs/engine.md, "Segments").
 *
 * Shard s may take, in the k-th step of the rate, floor(R·(k+1)·size_s/M) − floor(R·k·size_s/M):
 * no state, and over any k steps exactly floor(R·k·size_s/M) in all, so fractional rates and small
 * shards add up to the whole rate. Capacity a shard leaves unused is not passed on.
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

export class ShardQuota {
  readonly #perStep: number;
  readonly #meters: number;
  readonly #shardMeters: number;

  /** `perStep` of the whole fleet's capacity per step, over `meters` meters in shards of `shardMeters`. */
  constructor(perStep: number, meters: number, shardMeters: number) {
    if (!(Number.isFinite(perStep) && perStep >= 0)) {
      throw new InvalidArgumentError(`a rate per step must be a number ≥ 0, got ${perStep}`);
    }
    this.#perStep = perStep;
    this.#meters = meters;
    this.#shardMeters = shardMeters;
  }

  /** The shard of `meter`. */
  shardOf(meter: number): number {
    return Math.floor(meter / this.#shardMeters);
  }

  /** Shard `shard`'s allowance in the k-th step (k ≥ 0) since the rate began. */
  at(shard: number, k: number): number {
    const lo = shard * this.#shardMeters;
    const size = Math.min(this.#meters, lo + this.#shardMeters) - lo;
    const share = (this.#perStep * size) / this.#meters;
    return Math.floor(share * (k + 1)) - Math.floor(share * k);
  }
}

/** The shards of meters [lo, hi): those a process (or a segment) owns. */
export function shardsOf(owned: { lo: number; hi: number }, shardMeters: number): number[] {
  if (owned.hi <= owned.lo) return [];
  const first = Math.floor(owned.lo / shardMeters);
  const last = Math.floor((owned.hi - 1) / shardMeters);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
