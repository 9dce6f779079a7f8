/**
 * The crypto worker's task handlers as plain functions of (state, task): testable without
 * threads. Outcomes depend only on the batch and shared state, never on which worker runs it.
 */
import { threadId } from 'node:worker_threads';
import type { WorkerResult, WorkerTask } from '../worker-protocol.js';
import { signCommands, verifyCommands } from './command-crypto.js';
import { hangIfInjected } from './fault-injection.js';
import { buildFleetRange } from './fleet-build.js';
import { collectGarbage } from './garbage-collection.js';
import { stepShard } from './shard-step.js';
import type { WorkerState } from './worker-state.js';

/** How long a worker waits for the others at a collection's barrier. */
const BARRIER_WAIT_MS = 2000;

export function handleTask(state: WorkerState, task: WorkerTask): WorkerResult {
  switch (task.type) {
    case 'derive-keys':
      return { type: 'keys-derived', devices: deriveKeys(state, task.lo, task.hi) };
    case 'sign-commands':
      return { type: 'signed', batch: signCommands(state, task.batch) };
    case 'verify-commands':
      return { type: 'verified', outcomes: verifyCommands(state, task.batch) };
    case 'round-trip':
      return { type: 'round-tripped', outcomes: verifyCommands(state, signCommands(state, task.batch)) };
    case 'step-shard':
      hangIfInjected(task.shard, task.step);
      return { type: 'shard-stepped', result: stepShard(state, task.task, task.step) };
    case 'build-fleet':
      return { type: 'fleet-built', meters: buildFleetRange(state, task.build) };
    case 'collect-garbage':
      return {
        type: 'collected',
        heapUsedBytes: collectGarbage(task.barrier, task.workers, BARRIER_WAIT_MS),
        threadId,
      };
  }
}

/** Z for devices [lo, hi), in batches (a batch shares its inversions). */
function deriveKeys(state: WorkerState, lo: number, hi: number): number {
  for (let start = lo; start < hi; start += DERIVE_BATCH) {
    const end = Math.min(hi, start + DERIVE_BATCH);
    state.macSecrets.prepare(Array.from({ length: end - start }, (_, n) => start + n));
  }
  return hi - lo;
}

const DERIVE_BATCH = 4096;
