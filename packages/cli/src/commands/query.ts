/**
 * `gbfleet query RUN_DB "SQL"`: runs SQL against a run database (opened read-only and locked
 * down: nothing past the run is reached) and prints each statement's result as an aligned table,
 * or one result as JSON lines or CSV.
 */
import { type QueryResult, queryRunDatabaseStatements } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatResult, RESULT_FORMAT_OPTIONS, resultFormatOf } from '../result-format.js';
import { withSegmentsMerged } from '../segment-sources.js';

export const QUERY_HELP = `gbfleet query RUN_DB|EXPORT_DIR|SEGMENTS_DIR "SQL" [--json | --csv]

Runs SQL against a run database (read-only), or against a folder written by "gbfleet export
--parquet" (every run in it together), or a folder of segments ("gbfleet run --segment", merged
on the way as "gbfleet merge" does), and prints the result: an aligned table by default, one
JSON object per row with --json, or CSV (RFC 4180) with --csv. Several statements separated by
";" print each result in turn, as tables (--json and --csv take one statement). The tables and
columns are documented in docs/schema.md. Example:

  gbfleet query runs/default-s1-*.duckdb "select code, count(*) from alerts group by all"

A query reads the run and nothing else: COPY, EXPORT, ATTACH, INSTALL and LOAD are refused,
files other than the run's cannot be read (read_csv, read_text, …), extensions are not loaded,
and settings cannot be changed. Such SQL exits 2, having written nothing.
`;

export async function queryCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('query', args, RESULT_FORMAT_OPTIONS);
  if (values.help) {
    io.out(QUERY_HELP);
    return 0;
  }
  const format = resultFormatOf('query', values);
  if (positionals.length !== 2) {
    throw new UsageError(`query needs a run database and one SQL string, got ${positionals.length} arguments`);
  }
  const [path, sql] = positionals as [string, string];
  if (sql.trim() === '') throw new UsageError('query: the SQL is empty');
  let results: QueryResult[];
  try {
    // JSON lines and CSV hold one table: more than one statement is refused before any runs.
    results = await withSegmentsMerged([path], io, ([source]) =>
      queryRunDatabaseStatements(source as string, sql, format === 'table' ? undefined : 1),
    );
  } catch (error) {
    const err = error as { code?: string; message?: string };
    const message = err.message ?? String(error);
    const hint = /holds \d+ statements/.test(message)
      ? `: --${format} prints one result; run one statement at a time, or leave out --${format} to print each as a table`
      : '';
    throw new InputError(`query: ${message}${hint}`, { cause: error });
  }
  io.out(results.map((result) => formatResult(result, format)).join('\n'));
  return 0;
}
