/**
 * Where a finished run database is read from (reports, comparisons, Parquet export): the path
 * must name an existing DuckDB file, not a folder, a stray text file or a run still being written.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeHolder, probeDatabaseLock } from './database-lock.js';
import { ReportInputError, RunDatabaseMissingError, RunDatabasePartialError } from './errors.js';

/** DuckDB files begin with a 8-byte checksum, then the magic "DUCK". */
function looksLikeDuckDb(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const n = readSync(fd, head, 0, 12, 0);
    return n === 12 && head.subarray(8, 12).toString('latin1') === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

/**
 * The absolute path of `path`, which exists; else GBF_RUN_DB_MISSING, or GBF_RUN_DB_PARTIAL
 * when only the run's `.partial` is there: DuckDB's lock on it tells a run still writing it
 * (named by PID) from one that died before it finished.
 */
export async function presentRunDatabasePath(path: string): Promise<string> {
  const file = resolve(path);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  if (!existsSync(partial)) throw new RunDatabaseMissingError(file);
  const lock = await probeDatabaseLock(partial);
  if (lock.state === 'held') {
    throw new RunDatabasePartialError(
      file,
      `${file} is not finished yet: its run is still being written by ${describeHolder(lock)}, into ${partial}; wait until it finishes`,
      { live: true, pid: lock.pid },
    );
  }
  throw new RunDatabasePartialError(
    file,
    `${file} was never finished: only ${partial} is there, from a run that is not running any more (no process holds it: it died or was killed before it finished); run it again, or delete the .partial`,
    { live: false, pid: null },
  );
}

/** The absolute path of the run database at `path`, or a clear error saying what is there instead. */
export async function existingRunDatabaseFile(path: string): Promise<string> {
  const file = await presentRunDatabasePath(path);
  if (!statSync(file).isFile()) throw new ReportInputError(file, 'is a folder, expected a run database file (.duckdb)');
  if (!looksLikeDuckDb(file)) {
    throw new ReportInputError(file, 'is not a DuckDB file: expected a run database written by "gbfleet run"');
  }
  return file;
}
