/**
 * `gbfleet runs [DIR]`: the runs in a folder (default runs/) with their status and key outcomes,
 * read from each run database opened read-only. A `.partial` is listed as `running` (a live
 * process holds it, named by PID) or `dead`, with whether its checkpoint can resume it; a file
 * that cannot be read as `unreadable`. Nothing is changed, unless `--clean` is asked: then the
 * dead `.partial` files that cannot be resumed are removed, with their WAL and checkpoint.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gbfleetCodeOf } from '@gbfleet/gbcs';
import { listRuns, readSegmentSet, runListingResult } from '@gbfleet/reports';
import { CLI_VERSION } from '../cli-version.js';
import { parseCommandArgs } from '../command-args.js';
import { rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatResult, RESULT_FORMAT_OPTIONS, resultFormatOf } from '../result-format.js';
import { isFolderOfSegments, segmentManifestsIn, segmentStatusResult, withSegmentsMerged } from '../segment-sources.js';

export const RUNS_HELP = `gbfleet runs [DIR] [--json | --csv] [--clean]

Lists the run databases in DIR (default: runs/) and one level of sub-folders. DIR may be a folder
of segments ("gbfleet run --segment"): then the merged run, or, until every segment is done, each
segment's status and what is missing. Columns: file, status
(completed, failed, interrupted; for a .partial file, running while a live process writes it,
named by PID, or dead when none holds it any more; unreadable),
scenario, seed, simulated start, days planned and days run (how far a failed or interrupted run
got), meters, and key outcomes: commands (and those not
accepted), alerts (and those to a party that is not the registered supplier), meters off supply
at the end, and the socialised cost in pounds; for a dead .partial, resumable: "yes, from step S"
when "gbfleet run --resume FILE" can go on with it (days_run is then how far its checkpoint got),
else "no" and why. Read-only. --json: one object per run; --csv: CSV.
  --clean   remove the dead .partial files that cannot be resumed (with their WAL and
            checkpoint), and checkpoints whose run database is gone; never a run still
            being written, never a finished run database
`;

export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('runs', args, {
    ...RESULT_FORMAT_OPTIONS,
    clean: { type: 'boolean' },
  });
  if (values.help) {
    io.out(RUNS_HELP);
    return 0;
  }
  const format = resultFormatOf('runs', values);
  if (positionals.length > 1) {
    throw new UsageError(`runs takes at most one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const dir = positionals[0] ?? 'runs';
  if (values.clean) return cleanRuns(dir, io);
  if (isFolderOfSegments(dir)) return listSegments(dir, format, io);
  let listings: Awaited<ReturnType<typeof listRuns>>;
  try {
    listings = await listRuns(dir, { codeVersion: CLI_VERSION });
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

/** `runs --clean`: what can never be resumed goes; what is running, resumable or finished stays. */
async function cleanRuns(dir: string, io: CliIo): Promise<number> {
  let listings: Awaited<ReturnType<typeof listRuns>>;
  try {
    listings = await listRuns(dir, { codeVersion: CLI_VERSION });
  } catch (error) {
    rethrowAsInputError('runs', error, /^GBF_REPORT_INPUT$/);
  }
  const root = resolve(dir);
  const removed: string[] = [];
  for (const listing of listings) {
    if (listing.status !== 'dead' || listing.resumable?.startsWith('yes')) continue;
    const partial = join(root, listing.file);
    for (const file of [partial, `${partial}.wal`, `${partial}.checkpoint`, `${partial}.checkpoint.tmp`]) {
      await rm(file, { force: true });
    }
    removed.push(`${listing.file} (${listing.resumable ?? 'not resumable'})`);
  }
  for (const orphan of orphanCheckpoints(root)) {
    await rm(join(root, orphan), { force: true });
    removed.push(`${orphan} (its run database is gone)`);
  }
  io.out(
    removed.length === 0
      ? `Nothing to clean in ${dir}: no dead run that cannot be resumed.\n`
      : `Removed ${removed.length} from ${dir}:\n${removed.map((r) => `  ${r}\n`).join('')}`,
  );
  return 0;
}

/** Checkpoints (and half-written ones) whose `.partial` is gone: finished, or removed by hand. */
function orphanCheckpoints(root: string): string[] {
  const found: string[] = [];
  const look = (folder: string, depth: number) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const name = join(folder, entry.name);
      if (entry.isDirectory() && depth < 1 && !entry.name.startsWith('.')) look(name, depth + 1);
      const match = /^(.*\.partial)\.checkpoint(\.tmp)?$/.exec(entry.name);
      if (entry.isFile() && match && !existsSync(join(root, folder, match[1] as string))) found.push(name);
    }
  };
  look('', 0);
  return found.sort();
}
