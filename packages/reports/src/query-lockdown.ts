/**
 * What SQL a person types (`gbfleet query`) may do: read the run, and nothing else. Two layers.
 * The DuckDB instance is opened locked down (db.ts `lockdown`: no file but the run's, no network,
 * no extension, settings frozen). And each statement's kind is vetted before it runs, because a
 * locked-down DuckDB still writes a few paths it counts as the database's own (its WAL, its spill
 * folder, the Parquet files of an export): COPY or EXPLAIN ANALYZE COPY would write there.
 */
import { type QueryError, QueryRefusedError } from './errors.js';

/** Statement kinds that only read, or change nothing but this connection's temporary objects. */
const READING_KINDS = new Set([
  'SELECT', // also SHOW, DESCRIBE, SUMMARIZE, FROM …, and the PRAGMAs that are queries
  'EXPLAIN',
  'PRAGMA',
  'CALL',
  'SET', // refused by DuckDB: the configuration is locked
  'VARIABLE_SET',
  'TRANSACTION',
  // On the run's tables these are refused by DuckDB (read-only); on TEMP objects they are harmless.
  'CREATE',
  'DROP',
  'INSERT',
  'UPDATE',
  'DELETE',
]);

/** How a refused kind is named in the message (DuckDB's type names are not always the SQL). */
const KIND_NAMES: Record<string, string> = {
  EXPORT: 'EXPORT DATABASE',
  COPY_DATABASE: 'COPY FROM DATABASE',
  EXTENSION: 'INSTALL',
  LOAD: 'INSTALL or LOAD',
  UPDATE_EXTENSIONS: 'UPDATE EXTENSIONS',
};

const REFUSAL = 'a query reads the run and nothing else: it writes no files, attaches no database, loads no extension';

/** Throws GBF_QUERY_REFUSED unless a statement of this kind only reads (db.ts `queryEach`'s vet). */
export function vetStatement(sql: string, kind: string): void {
  if (!READING_KINDS.has(kind)) {
    throw new QueryRefusedError(sql, `${KIND_NAMES[kind] ?? kind.replaceAll('_', ' ')} is not allowed: ${REFUSAL}`);
  }
  // EXPLAIN ANALYZE runs what it explains (a COPY too). Which statement is explained is not told,
  // so any EXPLAIN with the word in the SQL is refused: a false alarm costs little.
  if (kind === 'EXPLAIN' && /analy[sz]e/i.test(sql)) {
    throw new QueryRefusedError(sql, `EXPLAIN ANALYZE is not allowed: it runs the statement it explains; use EXPLAIN`);
  }
}

/** DuckDB's own refusals under the lockdown (a file outside the run, a locked setting). */
const LOCKDOWN_MESSAGE = /Permission Error|configuration has been locked|disabled through configuration/;

/** A QueryError that is the lockdown speaking becomes GBF_QUERY_REFUSED, saying why; others pass. */
export function asRefusal(error: unknown): unknown {
  const err = error as Partial<QueryError>;
  if (err.code !== 'GBF_QUERY' || typeof err.message !== 'string') return error;
  const duckdb = err.message.replace(/^query failed: /, '');
  if (!LOCKDOWN_MESSAGE.test(duckdb)) return error;
  const first = duckdb.split('\n')[0] ?? duckdb;
  return new QueryRefusedError(
    err.sql ?? '',
    `${first} (a query may read only the run: no other file, no network, no extension, no setting changed)`,
    { cause: error },
  );
}
