/**
 * `gbfleet report RUN_DB...`: the alert, credit-cover and socialised-cost reports (SQL files in
 * @gbfleet/reports, or an analyst's copy with --sql) for one run, or several compared. Every
 * report is built in memory first; only then are the files written, each under a temporary name
 * renamed into place, so bad input leaves nothing behind and a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { buildReports, diskProblemOr, REPORT_FORMATS, type ReportFile, type ReportFormat } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { InputError, rethrowAsInputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { makeFolder } from '../make-folder.js';
import { withSegmentsMerged } from '../segment-sources.js';

export const REPORT_HELP = `gbfleet report RUN_DB... [--format md|html|csv] [--out DIR] [--report NAME] [--sql DIR]

Builds the reports from one run database, or from several read together for a comparison (each
run is labelled by its file name). A folder of segments ("gbfleet run --segment") is merged on
the way, as "gbfleet merge" does, and labelled by its run id:

  alerts           alerts by code, day and recipient; alerts and readings to a party that is not
                   the registered supplier; DCC alert load per hour (p50/p95/p99/max); low-credit
                   and supply-disabled alerts around a supplier failure
  attacks          hostile parties' commands (scenarios/hostile-party.yaml): per attack, sent,
                   rejected by the DCC, rejected by the meter (by code), accepted (must be 0)
  credit-cover     DCC charges per party and month; cover required under the current rule and
                   the alternatives (one, two, three months; rating-weighted); lodged; shortfall
  socialised-cost  unpaid charges of failed parties, cover drawn, the socialised remainder and
                   how it is spread across the remaining parties, per cover policy

  --format F   md, html or csv; repeat it or give a list (md,html). Default: all three.
               md and html: one page per report (<report>.md, <report>.html: self-contained,
               with SVG charts) and a PNG of each chart (<report>/<section>.png);
               csv: every row of every section (<report>/<section>.csv)
  --out DIR    where the files go (default: reports/); existing files of the same name are replaced
  --report R   only this report (repeatable): alerts, attacks, credit-cover, socialised-cost
  --sql DIR    report definitions to use instead of the shipped ones: a copy of
               packages/reports/src/report-sql/ with your changes (see docs/reports.md)

Nothing is written unless every report builds. Exit codes: 0 written, 2 bad input (a flag, a
run file, a report definition), with nothing written.
`;

const OPTIONS = {
  format: { type: 'string', multiple: true },
  out: { type: 'string' },
  report: { type: 'string', multiple: true },
  sql: { type: 'string' },
} as const;

function formatsOf(values: readonly string[] | undefined): ReportFormat[] {
  if (values === undefined) return [...REPORT_FORMATS];
  const out = new Set<ReportFormat>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const f = value.trim().toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw new UsageError(`report: --format ${JSON.stringify(value)} is not a format: use md, html or csv`);
    }
    out.add(f as ReportFormat);
  }
  return [...out];
}

function outDirOf(value: string | undefined): string {
  const dir = resolve(value ?? 'reports');
  if (value !== undefined && value.trim() === '') throw new UsageError('report: --out is empty: give a folder');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UsageError(`report: --out ${value ?? 'reports'} is a file, expected a folder for the reports`);
  }
  return dir;
}

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', args, OPTIONS);
  if (values.help) {
    io.out(REPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError(
      'report needs at least one run database (a .duckdb file from "gbfleet run"): see "gbfleet help report"',
    );
  }
  const formats = formatsOf(values.format);
  const outDir = outDirOf(values.out);
  if (values.sql !== undefined && values.sql.trim() === '')
    throw new UsageError('report: --sql is empty: give a folder');
  let files: ReportFile[];
  try {
    ({ files } = await withSegmentsMerged(positionals, io, (sources) =>
      buildReports(sources, { formats, reports: values.report, sqlDir: values.sql }),
    ));
  } catch (error) {
    rethrowAsInputError('report', error, /^GBF_(REPORT_|RUN_DB_MISSING|RUN_DB_PARTIAL|SEGMENTS)/);
  }
  await writeAll(outDir, files);
  const shown = relative(process.cwd(), outDir) || '.';
  for (const file of files) io.out(`${join(shown, file.path)}\n`);
  io.err(`report: wrote ${files.length} files into ${shown}/\n`);
  return 0;
}

/**
 * Writes every file under a temporary name, then renames each into place. If any write fails,
 * the temporary files (and the folders made for them) are removed and no final name was touched.
 */
async function writeAll(outDir: string, files: readonly ReportFile[]): Promise<void> {
  const tag = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged: Array<{ temp: string; final: string }> = [];
  const madeDirs: string[] = [];
  try {
    for (const file of files) {
      const final = join(outDir, ...file.path.split('/'));
      const temp = `${final}${tag}`;
      const made = await makeFolder(dirname(final));
      if (made !== undefined) madeDirs.push(made);
      staged.push({ temp, final });
      await writeFile(temp, file.content);
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    // Folders this call made hold nothing but its temporary files: remove them too, newest first.
    for (const made of madeDirs.reverse()) await rm(made, { recursive: true, force: true });
    const problem = diskProblemOr(error, outDir);
    if (problem !== error) throw problem;
    throw new InputError(`report: cannot write into ${outDir}: ${(error as Error).message}`, { cause: error });
  }
  for (const { temp, final } of staged) await rename(temp, final);
}
