/**
 * A sender's work lists, one per shard: each shard's GPFs wait in their own SendQueue, served at
 * the shard's ShardQuota share of the sender's rate. What one shard sends never depends on another
 * shard's line, so a segment of whole shards sends exactly what the whole run sends to its meters.
 * A command's place in its shard's batch (n) numbers the shard's commands in the step, as core's
 * originator-counter sequences are numbered per (party, shard).
 */
import { ShardQuota } from '@gbfleet/core';
import { SendQueue, type SendQueueState } from './send-queue.js';

/** Each shard's line between two steps (the rate and start step come from the config again). */
export interface ShardSendQueuesState {
  queues: Map<number, SendQueueState>;
}

export class ShardSendQueues {
  readonly #quota: ShardQuota;
  readonly #startStep: number;
  readonly #queues = new Map<number, SendQueue>();
  /** Shards with a line, ascending: served in shard order, like the engine's records. */
  #shards: number[] = [];

  /** `perStep` for the whole fleet (`meters` in shards of `shardMeters`), from step `startStep`. */
  constructor(perStep: number, fleet: { meters: number; shardMeters: number }, startStep: number) {
    this.#quota = new ShardQuota(perStep, fleet.meters, fleet.shardMeters);
    this.#startStep = startStep;
  }

  enqueue(meter: number): void {
    this.#queueOf(meter).enqueue(meter);
  }

  /** `meter` joins its shard's line again at `step`. */
  retryAt(step: number, meter: number): void {
    this.#queueOf(meter).retryAt(step, meter);
  }

  /** Each shard's GPFs for `step`, shard by shard; n is the GPF's place in its shard's batch. */
  take(step: number, each: (meter: number, n: number) => void): void {
    const k = step - this.#startStep;
    for (const shard of this.#shards) {
      const queue = this.#queues.get(shard) as SendQueue;
      queue.take(step, this.#quota.at(shard, k)).forEach(each);
    }
  }

  clear(): void {
    for (const queue of this.#queues.values()) queue.clear();
  }

  saveState(): ShardSendQueuesState {
    const queues = new Map<number, SendQueueState>();
    for (const [shard, queue] of this.#queues) queues.set(shard, queue.saveState());
    return { queues };
  }

  /** Puts saved lines into these (empty) queues. */
  restoreState(state: ShardSendQueuesState): void {
    for (const [shard, saved] of state.queues) this.#queues.set(shard, SendQueue.fromState(saved));
    this.#shards = [...this.#queues.keys()].sort((a, b) => a - b);
  }

  #queueOf(meter: number): SendQueue {
    const shard = this.#quota.shardOf(meter);
    let queue = this.#queues.get(shard);
    if (!queue) {
      queue = new SendQueue();
      this.#queues.set(shard, queue);
      this.#shards = [...this.#shards, shard].sort((a, b) => a - b);
    }
    return queue;
  }
}
