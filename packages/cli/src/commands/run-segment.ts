/**
 * `gbfleet run … --segment K/N`: one segment of a run, written for merging. The segment runs
 * into a run database of its own (in OUT/.work), which is then copied into the folder all
 * segments share as Parquet, with its manifest last (@gbfleet/reports segment-files.ts); the
 * work database is removed once the copy is in place. A segment that fails still writes a
 * manifest saying so, so that `gbfleet merge` can name it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type RunSummary, type ScenarioSpec, type SegmentSpec, stepsOf, type WatchdogOptions } from '@gbfleet/core';
import {
  CheckpointError,
  checkpointPathOf,
  checkSegmentOut,
  isDiskFull,
  lockSegments,
  readCheckpointFile,
  SEGMENT_FORMAT,
  type SegmentManifest,
  writeSegment,
  writeSegmentManifest,
} from '@gbfleet/reports';
import { CLI_VERSION } from '../cli-version.js';
import type { CliIo } from '../io.js';
import type { createPlugins } from '../plugins.js';
import { type EngineAsks, runToDatabase, type StopLadder, slug } from './run-to-database.js';

/** A sweep's variants each get a folder of their own: one folder holds one run's segments. */
export function segmentOutFor(outDir: string, label: string | undefined): string {
  return label ? join(outDir, label) : outDir;
}

/** SHA-256 of the scenario as run (every default filled in, overrides applied). */
export function specHashOf(spec: ScenarioSpec): string {
  return createHash('sha256').update(JSON.stringify(spec), 'utf8').digest('hex');
}

/** The run id every segment derives alike, without talking: scenario, seed, the spec's hash and N. */
export function segmentRunId(spec: ScenarioSpec, count: number, label: string | undefined): string {
  return `${slug(spec.name)}-s${slug(spec.seed)}-${specHashOf(spec).slice(0, 12)}-n${count}${label ? `-${label}` : ''}`;
}

export interface SegmentRun {
  spec: ScenarioSpec;
  plugins: ReturnType<typeof createPlugins>;
  segment: SegmentSpec;
  outDir: string;
  label: string | undefined;
  scenarioHash: string;
  workers: number;
  io: CliIo;
  stop: StopLadder;
  watchdog?: WatchdogOptions;
  checkpointEvery?: number | 'wall-clock';
  /** `gbfleet run --resume` of a segment: refuse to start over when there is nothing to resume. */
  mustResume?: boolean;
}

/** Runs the segment and writes its files; returns the summary and the manifest's path. */
export async function runSegment(run: SegmentRun): Promise<{ summary: RunSummary; database: string }> {
  const { spec, segment, outDir } = run;
  const runId = segmentRunId(spec, segment.count, run.label);
  // Named by run and segment only, so a scheduler's retry of the segment finds its checkpoint.
  const work = workDatabaseOf(outDir, runId, segment.index);
  const startedAt = new Date().toISOString();
  const base = {
    runId,
    scenarioName: spec.name,
    scenarioHash: run.scenarioHash,
    specHash: specHashOf(spec),
    seed: spec.seed,
    codeVersion: CLI_VERSION,
    segment: segment.index,
    segments: segment.count,
    steps: stepsOf(spec),
    fleetMeters: spec.fleet.meters,
    workers: run.workers,
    startedAt,
    spec,
  };
  // One writer of segment K at a time, and none while a merge reads it (segment-lock.ts).
  checkSegmentOut(outDir, runId);
  const release = await lockSegments(outDir, runId, [segment.index]);
  try {
    const resume = await resumeOrStartOver(run, runId, work);
    return await runSegmentLocked(run, runId, work, base, resume);
  } finally {
    release();
  }
}

/** What every manifest of this segment says, whatever the outcome. */
type ManifestBase = Pick<
  SegmentManifest,
  'runId' | 'scenarioName' | 'scenarioHash' | 'specHash' | 'seed' | 'codeVersion' | 'segment' | 'segments'
> &
  Pick<SegmentManifest, 'steps' | 'fleetMeters' | 'workers' | 'startedAt' | 'spec'>;

async function runSegmentLocked(
  run: SegmentRun,
  runId: string,
  work: string,
  base: ManifestBase,
  resume: EngineAsks['resume'],
): Promise<{ summary: RunSummary; database: string }> {
  const { spec, segment, outDir, io } = run;
  let result: { summary: RunSummary; database: string };
  try {
    result = await runToDatabase(spec, run.plugins, runId, work, run.scenarioHash, run.workers, io, run.stop, {
      segment,
      ...(run.watchdog ? { watchdog: run.watchdog } : {}),
      ...(run.checkpointEvery !== undefined ? { checkpointEvery: run.checkpointEvery } : {}),
      ...(resume ? { resume } : {}),
    });
  } catch (error) {
    // The merge must be able to say which segment failed and why; its database is kept to look at.
    // Best effort: on a full disk this write fails too, and the run's own error is the one to tell.
    tryWriteManifest(outDir, {
      format: SEGMENT_FORMAT,
      ...base,
      status: 'failed',
      error: (error as Error).message ?? String(error),
      stepsRun: 0,
      firstMeter: 0,
      meters: 0,
      finishedAt: new Date().toISOString(),
      rows: { parties: 0, meters: 0, alerts: 0, commands: 0, supply_events: 0, utrn: 0 },
      chargeInputs: { stepsRun: 0, suppliers: [] },
      figures: {},
      peakFigures: [],
    });
    throw error;
  }
  const { summary, database } = result;
  const part = summary.segment;
  if (!part) throw new Error('a segment run returned no segment summary');
  let written: Awaited<ReturnType<typeof writeSegment>>;
  try {
    written = await writeSegment(database, outDir, {
      ...base,
      status: summary.status === 'completed' ? 'completed' : summary.status === 'failed' ? 'failed' : 'interrupted',
      error:
        summary.status === 'completed'
          ? null
          : `${run.stop.reason()} after ${summary.stepsRun} of ${summary.stepsPlanned} steps`,
      stepsRun: summary.stepsRun,
      firstMeter: part.firstMeter,
      meters: part.meters,
      finishedAt: new Date().toISOString(),
      chargeInputs: part.chargeInputs,
      figures: summary.figures,
      peakFigures: summary.peakFigures,
    });
  } catch (error) {
    // The work database is a whole run under a final name and what filled the disk: it goes.
    if (isDiskFull(error)) await rm(database, { force: true });
    throw error;
  }
  await rm(database, { force: true });
  // The work folder goes too once no segment is using it (another segment's run may still be).
  await rmdir(dirname(database)).catch(() => undefined);
  const rows = Object.values(written.rows).reduce((a, b) => a + b, 0);
  io.err(
    `run: segment ${segment.index} of ${segment.count} of run ${runId}: ${rows.toLocaleString('en-GB')} rows in ${outDir}; when all ${segment.count} are done: gbfleet merge ${outDir}\n`,
  );
  return { summary, database: written.manifest };
}

/** Writes a failed segment's manifest, if the disk lets it; a second failure must not hide the first. */
function tryWriteManifest(outDir: string, manifest: SegmentManifest): void {
  try {
    writeSegmentManifest(outDir, manifest);
  } catch {
    // The run's own error is thrown by the caller; without a manifest, merge reports K as missing.
  }
}

/** The segment's own run database while it runs, in OUT/.work. */
export function workDatabaseOf(outDir: string, runId: string, segment: number): string {
  return join(outDir, '.work', `${runId}-segment-${segment}.duckdb`);
}

/**
 * A retry of a segment (the scheduler runs the same command again) goes on from the checkpoint
 * its last attempt left; what cannot be resumed (no checkpoint, another gbfleet's, damaged, or a
 * database published as failed) is cleared away and the segment starts over.
 */
async function resumeOrStartOver(run: SegmentRun, runId: string, work: string): Promise<EngineAsks['resume']> {
  const partial = `${work}.partial`;
  const checkpointFile = checkpointPathOf(partial);
  let why = 'there is no checkpoint';
  if (existsSync(partial) && existsSync(checkpointFile)) {
    try {
      const { identity, checkpoint } = readCheckpointFile(checkpointFile);
      if (identity.runId === runId && identity.codeVersion === CLI_VERSION) return checkpoint;
      why = `its checkpoint is of run ${identity.runId}, gbfleet ${identity.codeVersion}`;
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      why = error.message;
    }
  }
  if (run.mustResume) throw new CheckpointError(checkpointFile, `cannot resume segment ${run.segment.index}: ${why}`);
  if (existsSync(partial) || existsSync(work)) {
    run.io.err(`run: segment ${run.segment.index}: an earlier attempt is not resumable (${why}); starting over\n`);
  }
  for (const file of [work, partial, `${partial}.wal`, checkpointFile]) await rm(file, { force: true });
  return undefined;
}
