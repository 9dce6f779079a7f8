/**
 * A full garbage collection of this worker's heap, when the engine asks (once a simulated day by
 * default). Left alone, V8 collects a worker's old garbage only when it wants the room, so over a
 * long run the workers' heaps, and the process's RSS, grow although nothing is kept: the soak
 * measured 2.4 MB a simulated day at 1,000,000 meters with 2 workers, and 0.14 with a daily
 * collection (docs/reliability.md, "Soak"). Every worker collects at once: each task waits at a
 * barrier until all N have started, so N tasks in flight are on N different workers.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** V8's `gc()`, exposed from inside (the documented v8 API), so the pool needs no process flags. */
function collector(): () => void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

/** Waits for the other workers (at most `waitMs` for each to come), collects, and returns the heap still in use. */
export function collectGarbage(barrier: SharedArrayBuffer, workers: number, waitMs: number): number {
  const arrived = new Int32Array(barrier);
  let seen = Atomics.add(arrived, 0, 1) + 1;
  if (seen >= workers) Atomics.notify(arrived, 0);
  while (seen < workers) {
    // A worker that never comes (the pool is shutting down) must not hold the others forever:
    // each wait is bounded, and no worker arrives twice, so this loops at most `workers` times.
    if (Atomics.wait(arrived, 0, seen, waitMs) === 'timed-out') break;
    seen = Atomics.load(arrived, 0);
  }
  collector()();
  return getHeapStatistics().used_heap_size;
}
