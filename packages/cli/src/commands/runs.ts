/**
 * `gbfleet runs [DIR]`: the runs in a folder (default runs/) with their status and key outcomes,
 * read from each run database opened read-only. A `.partial` is listed as `running` (a live
 * process holds it, named by PID) or `dead`; a file that cannot be read as `unreadable`; nothing
 * is ever changed.
 */
import { listRuns, runListingResult } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatResult, RESULT_FORMAT_OPTIONS, resultFormatOf } from '../result-format.js';

export const RUNS_HELP = `gbfleet runs [DIR] [--json | --csv]

Lists the run databases in DIR (default: runs/) and one level of sub-folders: file, status
(completed, failed, interrupted; for a .partial file, running while a live process writes it,
named by PID, or dead when none holds it any more; unreadable),
scenario, seed, simulated start, days planned and days run (how far a failed or interrupted run
got), meters, and key outcomes: commands (and those not
accepted), alerts (and those to a party that is not the registered supplier), meters off supply
at the end, and the socialised cost in pounds. Read-only. --json: one object per run; --csv: CSV.
`;

export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('runs', args, RESULT_FORMAT_OPTIONS);
  if (values.help) {
    io.out(RUNS_HELP);
    return 0;
  }
  const format = resultFormatOf('runs', values);
  if (positionals.length > 1) {
    throw new UsageError(`runs takes at most one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const dir = positionals[0] ?? 'runs';
  let listings: Awaited<ReturnType<typeof listRuns>>;
  try {
    listings = await listRuns(dir);
  } catch (error) {
    rethrowAsInputError('runs', error, /^GBF_REPORT_INPUT$/);
  }
  // An empty table would print only its header: say so in words instead.
  if (format === 'table' && listings.length === 0) io.out(`No run databases in ${dir}.\n`);
  else io.out(formatResult(runListingResult(listings), format));
  return 0;
}
