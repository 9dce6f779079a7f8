/**
 * Ad-hoc SQL against a finished run database (`gbfleet query <run> "select …"`), or against a
 * folder of runs exported as Parquet (`gbfleet export`). The file is opened read-only, so a query
 * can never change a published run, and several queries can read at once.
 */
import { statSync } from 'node:fs';
import { Db, type QueryResult } from './db.js';
import { RunDatabaseMissingError } from './errors.js';
import { isParquetExport, openParquetExport } from './parquet-export.js';
import { presentRunDatabasePath } from './run-database-file.js';

export type { QueryResult } from './db.js';

/**
 * Runs `sql` and returns every row as plain JS: numbers, bigint for 64/128-bit integers, strings
 * (VARCHAR and ENUM), booleans, Date for DATE and TIMESTAMP (UTC; sub-millisecond digits dropped),
 * null for NULL. `path` may be a Parquet export folder (then every run in it is queried together).
 * Throws `GBF_RUN_DB_MISSING` for a missing file and `GBF_QUERY` (with DuckDB's
 * message) for SQL that fails.
 */
export async function queryRunDatabase(path: string, sql: string): Promise<QueryResult> {
  const file = presentRunDatabasePath(path);
  let db: Db;
  if (statSync(file).isFile()) db = await Db.open(file, { readOnly: true });
  else if (isParquetExport(file)) db = await openParquetExport(file);
  else {
    throw new RunDatabaseMissingError(
      file,
      ' (it is a directory, not a DuckDB file nor a Parquet export with a runs/ folder)',
    );
  }
  try {
    return await db.query(sql);
  } finally {
    db.close();
  }
}
