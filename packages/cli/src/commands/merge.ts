/**
 * `gbfleet merge OUT [--into RUN.duckdb]`: the segments a scheduler ran (`gbfleet run --segment
 * K/N --out OUT`) become one run database, identical to the single run's but for the run id and
 * wall-clock columns. The set is checked first (@gbfleet/reports segment-merge.ts); a missing,
 * duplicate, mismatched or failed segment is named, exits 2, and nothing is written.
 */
import { formatTable, mergeSegments } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';

export const MERGE_HELP = `gbfleet merge OUT [--into RUN.duckdb] [--json]

Merges the segments of one run, written by "gbfleet run SCENARIO --segment K/N --out OUT", into
one run database (default OUT/<run id>.duckdb). query, report and runs treat it like any other;
they also take OUT itself and merge it on the way.

Before anything is written, the set must be complete and consistent: all N segments present,
the same scenario, seed, code version and N in each, every one completed, their meters covering
the fleet, and every Parquet file holding the rows its manifest counted. Otherwise the problem is
named and the exit code is 2.

  --into FILE   where the run database goes (it must not exist yet)
  --json        print the result as one JSON object
`;

export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', args, {
    into: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(MERGE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`merge needs exactly one segments folder (OUT), got ${positionals.length}`);
  }
  if (typeof values.into === 'string' && values.into.trim() === '')
    throw new UsageError('merge: --into needs a file name');
  const started = performance.now();
  let merged: Awaited<ReturnType<typeof mergeSegments>>;
  try {
    merged = await mergeSegments(positionals[0] as string, {
      ...(typeof values.into === 'string' ? { into: values.into } : {}),
      onProgress: (line) => io.err(`${line}\n`),
    });
  } catch (error) {
    rethrowAsInputError('merge', error, /^GBF_(SEGMENTS|RUN_DB_EXISTS)$/);
  }
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(merged.rows).reduce((a, b) => a + b, 0);
  if (values.json) {
    io.out(`${JSON.stringify({ ...merged, seconds, rowsPerSecond: total / seconds })}\n`);
    return 0;
  }
  io.out(
    formatTable({
      columns: ['table', 'rows'],
      types: ['VARCHAR', 'BIGINT'],
      rows: Object.entries(merged.rows).map(([table, rows]) => [table, rows]),
    }),
  );
  io.out(
    `\nmerged ${merged.segments} segments of run ${merged.runId} into ${merged.path}: ${total.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s\n`,
  );
  return 0;
}
