/**
 * `gbfleet query RUN_DB "SQL"`: runs SQL against a run database (opened read-only) and prints
 * the result as an aligned table, JSON lines or CSV.
 */
import { queryRunDatabase } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatResult, RESULT_FORMAT_OPTIONS, resultFormatOf } from '../result-format.js';

export const QUERY_HELP = `gbfleet query RUN_DB|EXPORT_DIR "SQL" [--json | --csv]

Runs SQL against a run database (read-only), or against a folder written by "gbfleet export
--parquet" (every run in it together), and prints the result: an aligned table by default, one
JSON object per row with --json, or CSV (RFC 4180) with --csv. The tables and columns are
documented in docs/schema.md. Example:

  gbfleet query runs/default-s1-*.duckdb "select code, count(*) from alerts group by all"
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
  let result: Awaited<ReturnType<typeof queryRunDatabase>>;
  try {
    result = await queryRunDatabase(path, sql);
  } catch (error) {
    const err = error as { code?: string; message?: string };
    throw new InputError(`query: ${err.message ?? String(error)}`, { cause: error });
  }
  io.out(formatResult(result, format));
  return 0;
}
