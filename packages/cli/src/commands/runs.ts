/**
 * `gbfleet runs [DIR]`: the runs in a folder (default runs/) with their status and key outcomes,
 * read from each run database opened read-only. A `.partial` is listed as `running` (a live
 * process holds it, named by PID) or `dead`; a file that cannot be read as `unreadable`; nothing
 * is ever changed.
 */
import { dirname } from 'node:path';
import { gbfleetCodeOf } from '@gbfleet/gbcs';
import { listRuns, readSegmentSet, runListingResult } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatResult, RESULT_FORMAT_OPTIONS, resultFormatOf } from '../result-format.js';
import { isFolderOfSegments, segmentManifestsIn, segmentStatusResult, withSegmentsMerged } from '../segment-sources.js';

export const RUNS_HELP = `gbfleet runs [DIR] [--json | --csv]

Lists the run databases in DIR (default: runs/) and one level of sub-folders. DIR may be a folder
of segments ("gbfleet run --segment"): then the merged run, or, until every segment is done, each
segment's status and what is missing. Columns: file, status
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
  if (isFolderOfSegments(dir)) return listSegments(dir, format, io);
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

/**
 * A folder of segments: the merged run when the set is complete (merged on the way, like query
 * and report do), else where each segment stands, so a user sees what is still to run.
 */
async function listSegments(dir: string, format: ReturnType<typeof resultFormatOf>, io: CliIo): Promise<number> {
  const manifests = segmentManifestsIn(dir);
  try {
    await readSegmentSet(dir);
  } catch (error) {
    if (gbfleetCodeOf(error) !== 'GBF_SEGMENTS') throw error;
    io.out(formatResult(segmentStatusResult(manifests), format));
    io.err(`runs: ${dir} is not ready to merge: ${(error as Error).message}\n`);
    return 0;
  }
  return withSegmentsMerged([dir], io, async ([merged]) => {
    const listings = await listRuns(dirname(merged as string));
    io.out(formatResult(runListingResult(listings.map((l) => ({ ...l, file: dir }))), format));
    return 0;
  });
}
