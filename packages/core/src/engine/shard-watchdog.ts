/**
 * The watchdog over a step's shard tasks: a task that runs far longer than its peers is a hung
 * (or starved) worker, and the run fails naming its shard and step instead of waiting forever.
 *
 * A task is hung when it has run longer than its limit: the configured `limitMs` when one is
 * given, else `factor` × the median time of this step's tasks that are done (the last step's
 * median before any is done), never under `floorMs`. Before any task of the run has finished there
 * is no median: then `firstStepMs` applies, since the first step also derives keys and warms up.
 */
import { WorkerHungError } from '../errors.js';

export interface WatchdogOptions {
  /** A fixed limit per task, ms (overrides the adaptive rule). */
  limitMs?: number;
  /** How many times the peers' median a task may take (default 20). */
  factor?: number;
  /** The adaptive limit is never below this, ms (default 30 s: a busy machine is not a hung worker). */
  floorMs?: number;
  /** The limit while no task has finished yet, ms (default 10 minutes). */
  firstStepMs?: number;
  /** How often in-flight tasks are looked at, ms (default 250). */
  checkEveryMs?: number;
}

export class ShardWatchdog {
  readonly #limitMs: number | undefined;
  readonly #factor: number;
  readonly #floorMs: number;
  readonly #firstStepMs: number;
  readonly #checkEveryMs: number;
  /** The median task time of the last step that finished, ms. */
  #lastMedianMs: number | undefined;

  constructor(options: WatchdogOptions = {}) {
    this.#limitMs = options.limitMs;
    this.#factor = options.factor ?? 20;
    this.#floorMs = options.floorMs ?? 30_000;
    this.#firstStepMs = options.firstStepMs ?? 600_000;
    this.#checkEveryMs = options.checkEveryMs ?? 250;
  }

  /**
   * Runs the step's tasks (one per shard, in shard order). Rejects with WorkerHungError when one
   * outlives its limit, after `onHung` (which stops the workers) has run.
   */
  watch<T>(
    step: number,
    tasks: ReadonlyArray<{ shard: number; run: () => Promise<T> }>,
    onHung: () => Promise<void>,
  ): Promise<T[]> {
    const started = performance.now();
    const doneMs: number[] = [];
    const pending = new Set(tasks.map((t) => t.shard));
    return new Promise<T[]>((resolve, reject) => {
      let settled = false;
      const timer = setInterval(() => {
        const elapsed = performance.now() - started;
        const limit = this.#limitFor(doneMs);
        if (settled || elapsed <= limit || pending.size === 0) return;
        settled = true;
        clearInterval(timer);
        const shard = Math.min(...pending);
        const error = new WorkerHungError(
          `shard ${shard} at step ${step} has run for ${(elapsed / 1000).toFixed(1)} s, over its limit of ${(limit / 1000).toFixed(1)} s (${this.#why(doneMs)}): its worker is hung or starved, so the run stops here`,
          shard,
          step,
        );
        onHung().then(
          () => reject(error),
          () => reject(error),
        );
      }, this.#checkEveryMs);
      Promise.all(
        tasks.map((t) =>
          t.run().then((result) => {
            doneMs.push(performance.now() - started);
            pending.delete(t.shard);
            return result;
          }),
        ),
      ).then(
        (results) => {
          clearInterval(timer);
          if (settled) return;
          settled = true;
          if (doneMs.length > 0) this.#lastMedianMs = median(doneMs);
          resolve(results);
        },
        (error: unknown) => {
          clearInterval(timer);
          // After a hang the stopped workers' tasks reject too: the hang is the run's error.
          if (settled) return;
          settled = true;
          reject(error);
        },
      );
    });
  }

  #limitFor(doneMs: readonly number[]): number {
    if (this.#limitMs !== undefined) return this.#limitMs;
    const reference = doneMs.length > 0 ? median(doneMs) : this.#lastMedianMs;
    if (reference === undefined) return this.#firstStepMs;
    return Math.max(this.#floorMs, this.#factor * reference);
  }

  #why(doneMs: readonly number[]): string {
    if (this.#limitMs !== undefined) return 'the configured --task-timeout';
    const reference = doneMs.length > 0 ? median(doneMs) : this.#lastMedianMs;
    if (reference === undefined) return 'the first step’s limit, before any task had finished';
    const whose = doneMs.length > 0 ? "this step's other shards" : "the last step's shards";
    return `${this.#factor} × the ${(reference / 1000).toFixed(2)} s median of ${whose}, at least ${(this.#floorMs / 1000).toFixed(0)} s`;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
