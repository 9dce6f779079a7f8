/**
 * Faults on purpose, for the tests that prove the run survives them: `GBFLEET_FAULT_HANG=S@N`
 * makes the worker that steps shard S at step N spin forever, as a worker stuck in a native call
 * or an endless loop would. Read from the environment the worker threads inherit; unset, it costs
 * one comparison per task.
 */
const HANG = /^(\d+)@(\d+)$/.exec(process.env.GBFLEET_FAULT_HANG ?? '');
const hangShard = HANG ? Number(HANG[1]) : -1;
const hangStep = HANG ? Number(HANG[2]) : -1;

export function hangIfInjected(shard: number, step: number): void {
  if (shard !== hangShard || step !== hangStep) return;
  // Spins rather than sleeps: only terminating the thread ends it, which is what is under test.
  for (;;) {
    /* hung */
  }
}
