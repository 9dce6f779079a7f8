/**
 * Ad-hoc SQL against a finished run database (`gbfleet query <run> "select …"`), or against a
 * folder of runs exported as Parquet (`gbfleet export`). The file is opened read-only and locked
 * down (query-lockdown.ts): a query can never change a published run nor reach anything past it
 * (another file, the network, an extension, a setting), and several queries can read at once.
 */
import { statSync } from 'node:fs';
import { Db, type QueryResult } from './db.js';
import { RunDatabaseMissingError } from './errors.js';
import { isParquetExport, openParquetExport } from './parquet-export.js';
import { asRefusal, vetStatement } from './query-lockdown.js';
import { presentRunDatabasePath } from './run-database-file.js';

export type { QueryResult } from './db.js';

/**
 * Runs `sql`, one statement, and returns every row as plain JS: numbers, bigint for 64/128-bit
 * integers, strings (VARCHAR and ENUM), booleans, Date for DATE and TIMESTAMP (UTC;
 * sub-millisecond digits dropped), null for NULL. `path` may be a Parquet export folder (then
 * every run in it is queried together). Throws `GBF_RUN_DB_MISSING` for a missing file
 * (`GBF_RUN_DB_PARTIAL` when only its `.partial` is there),
 * `GBF_QUERY_REFUSED` for SQL that reaches past the run, and `GBF_QUERY` (with DuckDB's message)
 * for SQL that fails or holds more than one statement (see `queryRunDatabaseStatements`).
 */
export async function queryRunDatabase(path: string, sql: string): Promise<QueryResult> {
  const results = await queryRunDatabaseStatements(path, sql, 1);
  return results[0] as QueryResult;
}

/**
 * Runs each statement of `sql` in order (`SELECT …; SELECT …`) and returns each one's result,
 * as `queryRunDatabase` does for one. With `most`, SQL holding more statements than that is
 * refused before any runs.
 */
export async function queryRunDatabaseStatements(path: string, sql: string, most?: number): Promise<QueryResult[]> {
  const db = await openLockedDown(path);
  try {
    return await db.queryEach(sql, { vet: (kind) => vetStatement(sql, kind), most });
  } catch (error) {
    throw asRefusal(error);
  } finally {
    db.close();
  }
}

async function openLockedDown(path: string): Promise<Db> {
  const file = await presentRunDatabasePath(path);
  if (statSync(file).isFile()) return Db.open(file, { readOnly: true, lockdown: {} });
  if (isParquetExport(file)) return openParquetExport(file);
  throw new RunDatabaseMissingError(
    file,
    ' (it is a directory, not a DuckDB file nor a Parquet export with a runs/ folder)',
  );
}
