/**
 * How `query` and `runs` print a result: an aligned table by default, one JSON object per row
 * with --json, or CSV with --csv. The two flags exclude each other.
 */
import { formatCsv, formatJsonLines, formatTable, type QueryResult } from '@gbfleet/reports';
import { UsageError } from './errors.js';

/** The flags, for `parseCommandArgs`. */
export const RESULT_FORMAT_OPTIONS = { json: { type: 'boolean' }, csv: { type: 'boolean' } } as const;

export type ResultFormat = 'table' | 'json' | 'csv';

export function resultFormatOf(command: string, flags: { json?: boolean; csv?: boolean }): ResultFormat {
  if (flags.json && flags.csv) throw new UsageError(`${command}: choose one of --json and --csv`);
  return flags.json ? 'json' : flags.csv ? 'csv' : 'table';
}

export function formatResult(result: QueryResult, format: ResultFormat): string {
  if (format === 'json') return formatJsonLines(result);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}
