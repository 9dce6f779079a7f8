/**
 * A segment's output under the run's shared folder, made for merging: each table as hive-
 * partitioned Parquet, then the manifest, last and atomically.
 *
 *   OUT/<table>/run_id=<id>/segment=<K>/data.parquet     parties, meters, alerts, commands, …
 *   OUT/manifests/run_id=<id>/segment=<K>.json           written last (segment-manifest.ts)
 *
 * One folder holds one run's segments. Writing segment K again (a scheduler's retry) first
 * removes K's manifest, so K reads as unfinished until its new files are all in place, and
 * replaces K's files only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Db } from './db.js';
import { diskProblemOr } from './disk-problem.js';
import { SegmentSetError } from './errors.js';
import {
  manifestPath,
  SEGMENT_FORMAT,
  SEGMENT_TABLES,
  type SegmentManifest,
  type SegmentTable,
  writeSegmentManifest,
} from './segment-manifest.js';
import { sqlIdent, sqlString } from './sql.js';

/** The folder of one table's rows of segment K. */
export function segmentFolder(outDir: string, table: SegmentTable, runId: string, segment: number): string {
  return join(outDir, table, `run_id=${runId}`, `segment=${segment}`);
}

/** The run ids that have files in `outDir` (manifests or table partitions). */
export function runIdsIn(outDir: string): string[] {
  const ids = new Set<string>();
  for (const table of ['manifests', ...SEGMENT_TABLES]) {
    const dir = join(outDir, table);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const entry of readdirSync(dir)) if (entry.startsWith('run_id=')) ids.add(entry.slice('run_id='.length));
  }
  return [...ids].sort();
}

/** True when `dir` holds segments (a `manifests/` folder from `gbfleet run --segment`). */
export function isSegmentFolder(dir: string): boolean {
  const manifests = join(dir, 'manifests');
  return existsSync(manifests) && statSync(manifests).isDirectory();
}

/** Refuses an output folder that holds another run's segments: one folder, one run. */
export function checkSegmentOut(outDir: string, runId: string): void {
  const out = resolve(outDir);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new SegmentSetError(`--out ${out} is a file: segments go into a folder`);
  }
  const others = existsSync(out) ? runIdsIn(out).filter((id) => id !== runId) : [];
  if (others.length > 0) {
    throw new SegmentSetError(
      `--out ${out} holds files of another run (${others.join(', ')}), not of run ${runId}: a folder holds one run's segments; choose another --out (or remove that run's files)`,
    );
  }
}

/**
 * Copies a finished segment's run database into `outDir` and writes its manifest. `manifest` is
 * everything but the row counts, which are counted here as the files are written.
 */
export async function writeSegment(
  runDatabase: string,
  outDir: string,
  manifest: Omit<SegmentManifest, 'rows' | 'format'>,
): Promise<{ manifest: string; rows: Record<SegmentTable, number> }> {
  const out = resolve(outDir);
  const { runId, segment } = manifest;
  checkSegmentOut(out, runId);
  mkdirSync(out, { recursive: true });
  // From here until the new manifest is in place, segment K is unfinished for any reader.
  rmSync(manifestPath(out, runId, segment), { force: true });
  const staging = join(out, `.gbfleet-segment-${segment}-${randomBytes(4).toString('hex')}`);
  const db = await Db.open(runDatabase, { readOnly: true });
  const rows = {} as Record<SegmentTable, number>;
  try {
    for (const table of SEGMENT_TABLES) {
      const folder = segmentFolder(staging, table, runId, segment);
      mkdirSync(folder, { recursive: true });
      // run_id and segment live in the folder names, as hive partitioning expects.
      const count = await db.query(
        `COPY (SELECT * EXCLUDE (run_id) FROM ${sqlIdent(table)}) TO ${sqlString(join(folder, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
      );
      rows[table] = Number(count.rows[0]?.[0] ?? 0);
    }
    db.close();
    for (const table of SEGMENT_TABLES) {
      const target = segmentFolder(out, table, runId, segment);
      mkdirSync(dirname(target), { recursive: true });
      rmSync(target, { recursive: true, force: true });
      renameSync(segmentFolder(staging, table, runId, segment), target);
    }
  } catch (error) {
    // K's manifest is gone and its staging folder goes next: K reads as not finished.
    throw diskProblemOr(error, out);
  } finally {
    db.close();
    rmSync(staging, { recursive: true, force: true });
  }
  const path = writeSegmentManifest(out, { format: SEGMENT_FORMAT, ...manifest, rows });
  return { manifest: path, rows };
}
