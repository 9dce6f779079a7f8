/**
 * A run stopped right after a checkpoint and resumed from it, in this process, into one
 * MemorySink: for tests that prove a resumed run ends exactly as one never stopped (compare
 * `sink.digest()` and the figures with a whole run's). The CLI's `--resume` does the same through
 * a checkpoint file and the run database.
 */
import { MemorySink } from '../run/memory-sink.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import { copyCheckpoint, type RunCheckpoint } from './run-checkpoint.js';
import { runScenario } from './run-engine.js';
import type { RunSummary } from './run-summary.js';
import type { ScenarioPlugin } from './scenario-plugin.js';
import type { SegmentSpec } from './segment-range.js';

export interface ResumedMemoryRun {
  sink: MemorySink;
  /** The resumed run's summary (its figures cover the whole run). */
  summary: RunSummary;
  /** The checkpoint it went on from, a copy. */
  checkpoint: RunCheckpoint;
}

export async function runResumedInMemory(
  spec: ScenarioSpec,
  /** Fresh plug-ins for each of the two runs (a plug-in holds one run's state). */
  plugins: () => ScenarioPlugin[],
  /** Steps done when the checkpoint is taken: 1 ≤ atStep < the run's steps. */
  atStep: number,
  workers = 1,
  segment?: SegmentSpec,
): Promise<ResumedMemoryRun> {
  const sink = new MemorySink();
  const stop = new AbortController();
  let checkpoint: RunCheckpoint | undefined;
  await runScenario({
    spec,
    plugins: plugins(),
    workers,
    sink,
    signal: stop.signal,
    ...(segment ? { segment } : {}),
    checkpoint: {
      due: (stepsDone) => stepsDone === atStep,
      write: async (taken) => {
        checkpoint = copyCheckpoint(taken);
        // Like a kill soon after: the next step's rows (and the charges) reach the sink too.
        stop.abort();
      },
    },
  });
  if (!checkpoint) throw new Error(`no checkpoint was taken at step ${atStep}`);
  sink.dropFromStep(checkpoint.step);
  const summary = await runScenario({
    spec,
    plugins: plugins(),
    workers,
    sink,
    resume: checkpoint,
    ...(segment ? { segment } : {}),
  });
  return { sink, summary, checkpoint };
}
