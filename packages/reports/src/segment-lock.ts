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
import { diskProblemOr } from './disk-problem.js';
import { SegmentSetError } from './errors.js';

function segmentLockPath(outDir: string, runId: string, segment: number): string {
  return join(outDir, '.locks', `run_id=${runId}`, `segment=${segment}.duckdb`);
}

/**
 * Takes the locks of `segments` of run `runId` in `outDir`, all or none; returns the function
 * that releases them. A segment another process holds is a SegmentSetError naming it and the PID.
 */
export async function lockSegments(outDir: string, runId: string, segments: readonly number[]): Promise<() => void> {
  const taken: Array<() => void> = [];
  const releaseAll = () => {
    for (const release of taken.splice(0).reverse()) release();
  };
  try {
    for (const segment of segments) {
      const path = segmentLockPath(outDir, runId, segment);
      mkdirSync(join(path, '..'), { recursive: true });
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
    throw diskProblemOr(error, outDir);
  }
  return releaseAll;
}
