/**
 * Pool policy as a pure function: which commands go together in one task. Commands are grouped
 * by the shard that owns their device (a shard is touched by one task at a time) and cut into
 * batches of at most `maxBatch`, keeping the original order inside each batch so outcomes are
 * the same whatever the number of workers.
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';

export interface BatchPlanEntry {
  shard: number;
  /** Positions in the input, ascending. */
  positions: Uint32Array;
}

export function planBatches(devices: Uint32Array, shardSize: number, maxBatch: number): BatchPlanEntry[] {
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new InvalidArgumentError(`shardSize must be a positive integer, got ${shardSize}`);
  }
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new InvalidArgumentError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  const byShard = new Map<number, number[]>();
  for (let i = 0; i < devices.length; i++) {
    const shard = Math.floor((devices[i] as number) / shardSize);
    let list = byShard.get(shard);
    if (!list) {
      list = [];
      byShard.set(shard, list);
    }
    list.push(i);
  }
  const plan: BatchPlanEntry[] = [];
  for (const shard of [...byShard.keys()].sort((a, b) => a - b)) {
    const positions = byShard.get(shard) as number[];
    for (let start = 0; start < positions.length; start += maxBatch) {
      plan.push({ shard, positions: Uint32Array.from(positions.slice(start, start + maxBatch)) });
    }
  }
  return plan;
}
