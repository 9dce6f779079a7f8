/**
 * `gbfleet run --resume RUN`: which checkpoint a path names, and whether this gbfleet may go on
 * from it. RUN may be the run's `.duckdb.partial`, its final `.duckdb` name, or the checkpoint
 * itself; the checkpoint holds the scenario as run, so nothing else is needed.
 */
import { type RunCheckpoint, type ScenarioSpec, type SegmentSpec, stepsOf } from '@gbfleet/core';
import { CheckpointError, checkpointPathOf, readCheckpointFile } from '@gbfleet/reports';
import { CLI_VERSION } from '../cli-version.js';
import { UsageError } from '../errors.js';

export interface ResumePoint {
  /** The run database's final name (its `.partial` is beside it). */
  finalPath: string;
  runId: string;
  scenarioHash: string;
  spec: ScenarioSpec;
  segment: SegmentSpec | null;
  checkpoint: RunCheckpoint;
}

/** Flags that would make the run another run: refused with --resume. */
const FIXED_BY_CHECKPOINT = ['meters', 'seed', 'days', 'shard-meters', 'segment', 'segments', 'variant', 'out'];

export function checkResumeFlags(values: Record<string, unknown>, positionals: readonly string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(
      `--resume goes on with the scenario the checkpoint holds: give no scenario file (got ${positionals.join(' ')})`,
    );
  }
  const fixed = FIXED_BY_CHECKPOINT.filter((flag) => values[flag] !== undefined);
  if (fixed.length > 0) {
    throw new UsageError(
      `--resume cannot change ${fixed.map((f) => `--${f}`).join(', ')}: a resumed run is the run its checkpoint was taken of`,
    );
  }
}

export function resumePointOf(path: string): ResumePoint {
  const partial = path.endsWith('.partial.checkpoint')
    ? path.slice(0, -'.checkpoint'.length)
    : path.endsWith('.partial')
      ? path
      : `${path}.partial`;
  const { identity, checkpoint } = readCheckpointFile(checkpointPathOf(partial));
  if (identity.codeVersion !== CLI_VERSION) {
    throw new CheckpointError(
      checkpointPathOf(partial),
      `was written by gbfleet ${identity.codeVersion}, this is ${CLI_VERSION}: only the same version resumes it (run it again instead)`,
    );
  }
  if (stepsOf(identity.spec) !== checkpoint.steps) {
    throw new CheckpointError(checkpointPathOf(partial), 'its scenario and its state disagree on the steps');
  }
  return {
    finalPath: partial.slice(0, -'.partial'.length),
    runId: identity.runId,
    scenarioHash: identity.scenarioHash,
    spec: identity.spec,
    segment: identity.segment,
    checkpoint,
  };
}
