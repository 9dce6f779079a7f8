/**
 * Where a finished run database is read from (reports, comparisons, Parquet export): the path
 * must name an existing DuckDB file, not a folder, a stray text file or a run still being written.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReportInputError, RunDatabaseMissingError } from './errors.js';

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
 * The absolute path of `path`, which exists; else GBF_RUN_DB_MISSING, saying so when only the
 * `.partial` of a run still being written (or one that crashed) is there.
 */
export function presentRunDatabasePath(path: string): string {
  const file = resolve(path);
  if (!existsSync(file)) {
    const hint = existsSync(`${file}.partial`)
      ? ` (there is a ${file}.partial: that run is still being written, or crashed before it finished)`
      : '';
    throw new RunDatabaseMissingError(file, hint);
  }
  return file;
}

/** The absolute path of the run database at `path`, or a clear error saying what is there instead. */
export function existingRunDatabaseFile(path: string): string {
  const file = presentRunDatabasePath(path);
  if (!statSync(file).isFile()) throw new ReportInputError(file, 'is a folder, expected a run database file (.duckdb)');
  if (!looksLikeDuckDb(file)) {
    throw new ReportInputError(file, 'is not a DuckDB file: expected a run database written by "gbfleet run"');
  }
  return file;
}
