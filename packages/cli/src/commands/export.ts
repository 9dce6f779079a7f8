/**
 * `gbfleet export --parquet DIR RUN_DB...`: writes run databases as hive-partitioned Parquet
 * (`@gbfleet/reports` parquet-export.ts), so that many runs are read together by DuckDB or any
 * Parquet reader. Bad input writes nothing and exits 2.
 */
import { exportRunsToParquet, formatTable } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';

export const EXPORT_HELP = `gbfleet export --parquet DIR RUN_DB... [--replace]

Writes each run database as Parquet into DIR, one file per table and run:
DIR/<table>/run_id=<run id>/data.parquet, for runs, parties, service_requests, meters, alerts,
commands, supply_events, utrn, charges and the credit_cover view (docs/schema.md). One DIR
collects any number of runs; read them together with DuckDB, for example:

  select run_id, outcome, count(*)
  from read_parquet('DIR/commands/*/*.parquet', hive_partitioning = true,
                    hive_types = {'run_id': VARCHAR})
  group by all

DIR is made if it is missing, but its parent folder must exist. Every input, and DIR, is checked
before anything is written, and partitions appear whole or not at all.
A run already in DIR is refused unless --replace, which swaps its partitions for the new ones.
`;

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', args, {
    parquet: { type: 'string' },
    replace: { type: 'boolean' },
  });
  if (values.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  if (values.parquet === undefined) throw new UsageError('export needs --parquet DIR: the folder to write into');
  if (values.parquet.trim() === '') throw new UsageError('export: --parquet needs a folder name, got ""');
  if (positionals.length === 0) throw new UsageError('export needs at least one run database (RUN_DB...)');
  let exported: Awaited<ReturnType<typeof exportRunsToParquet>>;
  try {
    exported = await exportRunsToParquet(positionals, values.parquet, {
      replace: values.replace === true,
      onProgress: (line) => io.err(`export: ${line}\n`),
    });
  } catch (error) {
    rethrowAsInputError('export', error, /^GBF_(REPORT_INPUT|RUN_DB_MISSING|RUN_DB_PARTIAL)$/);
  }
  // One row per table, one column per run: rows written.
  io.out(
    formatTable({
      columns: ['table', ...exported.map((run) => run.runId)],
      types: ['VARCHAR', ...exported.map(() => 'BIGINT')],
      rows: (exported[0]?.tables ?? []).map((t, i) => [t.table, ...exported.map((run) => run.tables[i]?.rows ?? 0)]),
    }),
  );
  io.out(`\nwritten to ${values.parquet}/<table>/run_id=<run id>/data.parquet\n`);
  return 0;
}
