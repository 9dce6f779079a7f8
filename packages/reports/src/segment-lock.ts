/**
 * Who may touch segment K of a run in a folder: one process at a time, whether it writes K (a
 * segment run or its retry) or reads it (a merge, which holds all N). The lock is DuckDB's own,
 * on a small file per segment, held for the whole write or merge:
 *
 *   OUT/.locks/run_id=<id>/segment=<K>.duckdb
 *
 * Why DuckDB's: it is already how a live `.partial` is told from a dead one (database-lock.ts),
 * it is an OS lock that dies with its process, and it names the holder's PID for the message.
 * Within one process DuckDB's locks do not conflict; the CLI runs one segment per process.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeHolder, takeDatabaseLock } from './database-lock.js';
import { diskProblemOr, isReadOnlyPlace } from './disk-problem.js';
import { SegmentSetError } from './errors.js';

function segmentLockPath(outDir: string, runId: string, segment: number): string {
  return join(outDir, '.locks', `run_id=${runId}`, `segment=${segment}.duckdb`);
}

/**
 * Takes the locks of `segments` of run `runId` in `outDir`, all or none; returns the function
 * that releases them (`reading`: a merge, which may read a read-only folder without locks).
 * A segment another process holds is a SegmentSetError naming it and the PID.
 */
export async function lockSegments(
  outDir: string,
  runId: string,
  segments: readonly number[],
  options: { reading?: boolean } = {},
): Promise<() => void> {
  const taken: Array<() => void> = [];
  const releaseAll = () => {
    for (const release of taken.splice(0).reverse()) release();
  };
  try {
    for (const segment of segments) {
      const path = segmentLockPath(outDir, runId, segment);
      makeLockFolder(outDir, runId);
      const lock = await takeDatabaseLock(path);
      if (lock.state === 'held') {
        throw new SegmentSetError(
          `segment ${segment} of run ${runId} in ${outDir} is in use by ${describeHolder(lock)} (a segment run writing it, or a merge reading it): wait for it to end, then try again`,
        );
      }
      taken.push(lock.release);
    }
  } catch (error) {
    releaseAll();
    // A reader of a read-only folder needs no lock: no one can rewrite a segment there either.
    if (options.reading && isReadOnlyPlace(error)) return () => undefined;
    throw diskProblemOr(error, outDir);
  }
  return releaseAll;
}

/**
 * OUT/.locks/run_id=<id>, one level at a time from OUT (a sweep variant's OUT/vNN may not exist
 * yet): Node's recursive mkdir says ENOENT on a read-only file system, and a reader must be able
 * to tell that case (EROFS) apart.
 */
function makeLockFolder(outDir: string, runId: string): void {
  for (const dir of [outDir, join(outDir, '.locks'), join(outDir, '.locks', `run_id=${runId}`)]) {
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
