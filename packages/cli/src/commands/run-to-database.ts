/**
 * One run into one run database, and how a run is stopped: shared by whole runs (run.ts) and
 * segments (run-segment.ts). The database is created, filled by the engine, and finished as
 * completed, interrupted or failed; the rows of the steps done are kept however it ends.
 */
import { rm } from 'node:fs/promises';
import {
  type CheckpointPolicy,
  type RunCheckpoint,
  type RunSummary,
  runScenario,
  type ScenarioSpec,
  type SegmentSpec,
  stepsOf,
  type WatchdogOptions,
} from '@gbfleet/core';
import { checkpointPathOf, RunDatabase, readCheckpointIdentity, writeCheckpointFile } from '@gbfleet/reports';
import { CLI_VERSION } from '../cli-version.js';
import type { CliIo } from '../io.js';
import type { createPlugins } from '../plugins.js';
import { progressReporter } from '../progress.js';

/** One run into its own database: created, filled, finished (completed, interrupted or failed). */
export async function runToDatabase(
  spec: ScenarioSpec,
  plugins: ReturnType<typeof createPlugins>,
  runId: string,
  dbPath: string,
  scenarioHash: string,
  workers: number,
  io: CliIo,
  stop: StopLadder,
  /**
   * What the engine is asked beyond the scenario: one segment of it, a watchdog limit, when to
   * checkpoint, and the checkpoint to go on from.
   */
  engine: EngineAsks = {},
): Promise<{ summary: RunSummary; database: string }> {
  const { segment, watchdog, resume } = engine;
  const steps = stepsOf(spec);
  const db = resume
    ? await RunDatabase.resume(dbPath, { runId, steps }, resume.step)
    : await RunDatabase.create(dbPath, {
        runId,
        scenarioName: spec.name,
        scenarioHash,
        seed: spec.seed,
        codeVersion: CLI_VERSION,
        workers,
        meters: spec.fleet.meters,
        start: spec.start,
        stepMinutes: spec.stepMinutes,
        steps,
      });
  const checkpointFile = checkpointPathOf(db.partialPath);
  io.err(
    `run: ${spec.name}: ${spec.fleet.meters.toLocaleString('en-GB')} meters, ${spec.days} days in ${spec.stepMinutes}-minute steps, seed ${JSON.stringify(spec.seed)}${segment ? `, segment ${segment.index} of ${segment.count}` : ''}\n`,
  );
  if (resume) io.err(`run: resuming at step ${resume.step} of ${steps}, from ${checkpointFile}\n`);
  const taken = { count: 0, seconds: 0, lastStep: 0 };
  const checkpoint = checkpointPolicy(engine.checkpointEvery, taken, (cp) =>
    writeCheckpointFile(
      checkpointFile,
      {
        runId,
        scenarioHash,
        codeVersion: CLI_VERSION,
        spec,
        segment: segment ?? null,
        step: cp.step,
        steps,
        takenAt: new Date().toISOString(),
      },
      cp,
    ),
  );
  const progress = progressReporter(io);
  // Steps whose rows the engine has handed to the database; it writes them out before it fails.
  let stepsDone = 0;
  let summary: RunSummary;
  try {
    summary = await runScenario({
      spec,
      plugins,
      workers,
      sink: db.recordSink(),
      onProgress: (p) => {
        stepsDone = p.step;
        progress.update(p);
      },
      onStage: (stage) => progress.stage(stage),
      signal: stop.endOfStep,
      stopNow: stop.now,
      ...(segment ? { segment } : {}),
      ...(watchdog ? { watchdog } : {}),
      ...(checkpoint ? { checkpoint } : {}),
      ...(resume ? { resume } : {}),
    });
  } catch (error) {
    progress.done();
    const message = (error as Error).message ?? String(error);
    const path = await db.finish('failed', { error: message, stepsRun: stepsDone }).catch(() => undefined);
    if (path) {
      io.err(`run: the run database is marked failed after ${stepsDone} of ${steps} steps: ${path}\n`);
      // Published: there is no .partial left to resume, so its checkpoint goes too.
      await rm(checkpointFile, { force: true });
    } else {
      tellHowToResume(io, checkpointFile, db.partialPath);
    }
    throw error;
  }
  progress.done();
  if (taken.count > 0) {
    io.err(
      `run: ${taken.count} checkpoint${taken.count === 1 ? '' : 's'} taken, ${taken.seconds.toFixed(1)} s in all, the last at step ${taken.lastStep}\n`,
    );
  }
  const completed = summary.status === 'completed';
  const database = await db
    .finish(completed ? 'completed' : 'interrupted', {
      stepsRun: summary.stepsRun,
      ...(completed ? {} : { error: `${stop.reason()} after ${summary.stepsRun} of ${summary.stepsPlanned} steps` }),
    })
    .catch((error: unknown) => {
      tellHowToResume(io, checkpointFile, db.partialPath);
      throw error;
    });
  await rm(checkpointFile, { force: true });
  return { summary, database };
}

/** A run that could not finish, with a checkpoint kept beside its partial: how to go on. */
function tellHowToResume(io: CliIo, checkpointFile: string, partialPath: string): void {
  const step = readCheckpointIdentity(checkpointFile)?.step;
  if (step === undefined) return;
  io.err(
    `run: the checkpoint after step ${step} is kept: once the cause is fixed, gbfleet run --resume ${partialPath}\n`,
  );
}

export interface EngineAsks {
  segment?: SegmentSpec;
  watchdog?: WatchdogOptions;
  /** Steps between checkpoints, or 'wall-clock': about every CHECKPOINT_WALL_SECONDS; none when absent or 0. */
  checkpointEvery?: number | 'wall-clock';
  resume?: RunCheckpoint;
}

/** The default checkpoint interval: a kill loses at most about this much work. */
export const CHECKPOINT_WALL_SECONDS = 300;

function checkpointPolicy(
  every: number | 'wall-clock' | undefined,
  taken: { count: number; seconds: number; lastStep: number },
  write: (checkpoint: RunCheckpoint) => void,
): CheckpointPolicy | undefined {
  if (every === undefined || every === 0) return undefined;
  return {
    due: (stepsDone, seconds) =>
      every === 'wall-clock' ? seconds >= CHECKPOINT_WALL_SECONDS : stepsDone % every === 0,
    write: async (checkpoint) => {
      const started = performance.now();
      write(checkpoint);
      taken.count++;
      taken.seconds += (performance.now() - started) / 1000;
      taken.lastStep = checkpoint.step;
    },
  };
}

/** How a run is stopped: the first interrupt at the end of the step, the second at once, the third ends the process. */
export interface StopLadder {
  endOfStep: AbortSignal;
  now: AbortSignal;
  /** What stopped it, for the database's `error` column. */
  reason(): string;
  stopListening(): void;
}

export function stopLadder(io: CliIo): StopLadder {
  const endOfStep = new AbortController();
  const now = new AbortController();
  let interrupts = 0;
  const stopListening = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      io.err('\nrun: interrupted: stopping at the end of this step (again to stop at once)\n');
      endOfStep.abort();
      return true;
    }
    if (interrupts === 2) {
      io.err(
        '\nrun: interrupted again: dropping the step in flight, keeping the steps done (again to quit, losing them)\n',
      );
      now.abort();
      return true;
    }
    return false;
  });
  return {
    endOfStep: endOfStep.signal,
    now: now.signal,
    reason: () => (interrupts > 1 ? 'stopped at once by a second interrupt' : 'stopped by an interrupt'),
    stopListening,
  };
}

/** A name made safe for file names and run ids. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run'
  );
}
