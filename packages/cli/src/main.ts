#!/usr/bin/env node
/**
 * The `gbfleet` command: parses the first word, hands the rest to a command module, and turns
 * errors into a one-paragraph message and an exit code (0 done, 1 failed, 2 bad input). This is
 * the only module that calls process.exit.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cryptoFallbackNotice } from '@gbfleet/gbcs';
import { CLI_VERSION } from './cli-version.js';
import { DEMO_HELP, demoCommand } from './commands/demo.js';
import { EXPORT_HELP, exportCommand } from './commands/export.js';
import { FRAME_INSPECT_HELP, frameInspectCommand } from './commands/frame-inspect.js';
import { MERGE_HELP, mergeCommand } from './commands/merge.js';
import { QUERY_HELP, queryCommand } from './commands/query.js';
import { REPORT_HELP, reportCommand } from './commands/report.js';
import { RUN_HELP, runCommand } from './commands/run.js';
import { RUNS_HELP, runsCommand } from './commands/runs.js';
import { UTRN_HELP, utrnCommand } from './commands/utrn.js';
import { isCliError, UsageError } from './errors.js';
import { type CliIo, processIo } from './io.js';

export const MAIN_HELP = `gbfleet — simulate the GB smart-metering system at national scale

Usage: gbfleet <command> [options]

Commands:
  run SCENARIO.yaml    run a scenario: fleet, DCC, real signed commands; writes a DuckDB run database
                       (--segment K/N: one segment of it, for a scheduler to run N of; docs/distributed.md)
  merge OUT            merge the N segments in OUT into one run database, identical to a single run
  query RUN_DB "SQL"   query a run database, or a Parquet export folder (table, --json or --csv)
  report RUN_DB...     alert, credit-cover and socialised-cost reports (Markdown, HTML with charts,
                       CSV, PNG) from one run or several compared; into reports/
  runs [DIR]           list the runs in a folder (default runs/): status and key outcomes
  export --parquet DIR RUN_DB...
                       write run databases as hive-partitioned Parquet, to read many runs together
  demo                 sign, MAC and verify a batch of critical commands for a simulated fleet
                       in the worker pool, and print throughput
  frame inspect        decode GBCS messages (hex files or folders) and check signatures and MACs
  utrn generate        make a 20-digit prepayment top-up code (UTRN)
  utrn check           validate a UTRN: check digit, structure, MAC
  help [command]       this text, or a command's own

Exit codes: 0 done, 1 the job ran and found failures, 2 bad input (nothing ran).
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(helpFor(rest[0]));
        return 0;
      case '--version':
      case '-v':
        io.out(`gbfleet ${CLI_VERSION}\n`);
        return 0;
      case 'run':
        sayCryptoKernel(rest, io);
        return await runCommand(rest, io);
      case 'query':
        return await queryCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'runs':
        return await runsCommand(rest, io);
      case 'merge':
        return await mergeCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'demo':
        sayCryptoKernel(rest, io);
        return await demoCommand(rest, io);
      case 'frame':
        if (rest[0] === 'inspect') return await frameInspectCommand(rest.slice(1), io);
        throw new UsageError(`unknown frame subcommand ${JSON.stringify(rest[0] ?? '')}: expected "frame inspect"`);
      case 'utrn':
        return await utrnCommand(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}: run "gbfleet help" for the list`);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * One line when the JavaScript crypto is in use because the native kernel is not built (it still
 * works, slower); a GBFLEET_CRYPTO the pool cannot honour is a usage error before anything runs.
 */
function sayCryptoKernel(args: readonly string[], io: CliIo): void {
  if (args.includes('--help') || args.includes('-h')) return;
  let notice: string | undefined;
  try {
    notice = cryptoFallbackNotice();
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (notice) io.err(`gbfleet: ${notice}\n`);
}

function helpFor(topic: string | undefined): string {
  switch (topic) {
    case 'run':
      return RUN_HELP;
    case 'query':
      return QUERY_HELP;
    case 'report':
      return REPORT_HELP;
    case 'runs':
      return RUNS_HELP;
    case 'merge':
      return MERGE_HELP;
    case 'export':
      return EXPORT_HELP;
    case 'demo':
      return DEMO_HELP;
    case 'frame':
      return FRAME_INSPECT_HELP;
    case 'utrn':
      return UTRN_HELP;
    default:
      return MAIN_HELP;
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (isCliError(error)) {
    io.err(`gbfleet: ${error.message} [${error.code}]\n`);
    return error.exitCode;
  }
  const err = error as { code?: unknown; message?: unknown; stack?: unknown };
  const code = typeof err.code === 'string' ? err.code : 'GBF_INTERNAL';
  // Core's argument errors are bad input too; anything else is a failure worth a stack in debug.
  if (
    code === 'GBF_INVALID_ARGUMENT' ||
    code === 'GBF_KEYSTORE_ENTRY' ||
    code === 'GBF_MISSING_KEY' ||
    code === 'GBF_SCENARIO' ||
    code === 'GBF_READ_ONLY' ||
    code === 'GBF_SEGMENTS' ||
    code === 'GBF_CHECKPOINT'
  ) {
    io.err(`gbfleet: ${String(err.message)} [${code}]\n`);
    return 2;
  }
  io.err(`gbfleet: failed: ${String(err.message ?? error)} [${code}]\n`);
  if (process.env.GBFLEET_DEBUG) io.err(`${String(err.stack)}\n`);
  return 1;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const io = processIo();
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`gbfleet: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
