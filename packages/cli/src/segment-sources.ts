/**
 * query, report and runs take a folder of segments where they take a run database: the folder
 * is merged on the way (into a temporary run database, removed afterwards), with the same checks
 * as `gbfleet merge`. Other paths pass through untouched.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isSegmentFolder,
  mergeSegments,
  type QueryResult,
  readSegmentManifest,
  readSegmentSet,
  type SegmentManifest,
} from '@gbfleet/reports';
import type { CliIo } from './io.js';

export function isFolderOfSegments(path: string): boolean {
  try {
    return statSync(path).isDirectory() && isSegmentFolder(path);
  } catch {
    return false;
  }
}

/** Runs `work` with every segments folder in `paths` replaced by its merged run database. */
export async function withSegmentsMerged<T>(
  paths: readonly string[],
  io: CliIo,
  work: (paths: string[]) => Promise<T>,
): Promise<T> {
  if (!paths.some(isFolderOfSegments)) return work([...paths]);
  const scratch = mkdtempSync(join(tmpdir(), 'gbfleet-merge-'));
  try {
    const resolved: string[] = [];
    for (const [i, path] of paths.entries()) {
      if (!isFolderOfSegments(path)) {
        resolved.push(path);
        continue;
      }
      // Named by its run id, which reports use as the run's label.
      const [first] = await readSegmentSet(path);
      const merged = await mergeSegments(path, { into: join(scratch, `${i}`, `${first?.runId ?? 'segments'}.duckdb`) });
      io.err(`merged ${merged.segments} segments of run ${merged.runId} from ${path}\n`);
      resolved.push(merged.path);
    }
    return await work(resolved);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every readable manifest in a segments folder (any run), for a status listing. */
export function segmentManifestsIn(dir: string): SegmentManifest[] {
  const root = join(dir, 'manifests');
  const found: SegmentManifest[] = [];
  for (const run of readdirSync(root)) {
    if (!run.startsWith('run_id=')) continue;
    for (const name of readdirSync(join(root, run))) {
      if (!/^segment=\d+\.json$/.test(name)) continue;
      try {
        found.push(readSegmentManifest(join(root, run, name)));
      } catch {
        // Unreadable manifests are what the merge check names; the status lists the rest.
      }
    }
  }
  return found.sort((a, b) => a.runId.localeCompare(b.runId) || a.segment - b.segment);
}

/** One row per segment: where it stands. */
export function segmentStatusResult(manifests: readonly SegmentManifest[]): QueryResult {
  return {
    columns: [
      'run_id',
      'segment',
      'of',
      'status',
      'first_meter',
      'meters',
      'steps_run',
      'steps',
      'finished_at',
      'error',
    ],
    types: ['VARCHAR', 'INTEGER', 'INTEGER', 'VARCHAR', 'BIGINT', 'BIGINT', 'INTEGER', 'INTEGER', 'VARCHAR', 'VARCHAR'],
    rows: manifests.map((m) => [
      m.runId,
      m.segment,
      m.segments,
      m.status,
      m.firstMeter,
      m.meters,
      m.stepsRun,
      m.steps,
      m.finishedAt,
      m.error,
    ]),
  };
}
