/**
 * Whole-run: complete runs, each in a fresh child process so its peak memory (maxRSS, worker
 * threads included) is the run's own. Two kinds:
 * - the engine run: N meters × D days with commands and its DuckDB run database (issue 3's
 *   targets: 1,000,000 meters × 30 days in ≤ 60 s and ≤ 2 GB; 10,000,000 meters × 1 day within
 *   the machine's memory; ≥ 1,000,000 rows/s into DuckDB), see engine-run-child.ts;
 * - each shipped scenario file at a fixed size, through `gbfleet run` (YAML, plug-ins, run
 *   database) exactly as a user runs it, see scenario-run-child.ts;
 * - a run split into segments and merged (`--segment K/N`, `gbfleet merge`), see segments.bench.ts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RunSummary } from '@gbfleet/core';
import type { ScenarioRunSize, WholeRunSizes } from '../configurations.js';
import { type BenchResult, single } from '../result.js';
import { childScript as child, metersLabel as label, REPO_ROOT } from './child-script.js';
import { runSegmentsBench } from './segments.bench.js';

export { REPO_ROOT } from './child-script.js';

export interface EngineRun {
  wallSeconds: number;
  maxRssBytes: number;
  rows: number;
  ingestSeconds: number;
  summary: RunSummary;
}

export interface ScenarioRun {
  wallSeconds: number;
  maxRssBytes: number;
  summary: RunSummary;
}

export interface WholeRunOutcome {
  results: BenchResult[];
  e2e: EngineRun | undefined;
  national: EngineRun | undefined;
}

export function engineRunLabel(meters: number, days: number, workers: number): string {
  return `whole-run/engine ${label(meters)} × ${days} d (${workers} workers)`;
}

export function scenarioRunLabel(size: ScenarioRunSize, workers: number): string {
  return `whole-run/${basename(size.file)} ${label(size.meters)} × ${size.days} d (${workers} workers)`;
}

export async function runWholeRunBench(
  sizes: WholeRunSizes,
  parts: { engine: boolean; scenarios: boolean; segments: boolean },
  workers: number,
  cores: number,
  log: (line: string) => void,
): Promise<WholeRunOutcome> {
  const results: BenchResult[] = [];
  const out: WholeRunOutcome = { results, e2e: undefined, national: undefined };
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-bench-'));
  try {
    if (parts.engine) {
      const e2e = await engineRun(sizes.runMeters, sizes.runDays, workers, dir, log);
      const s = e2e.summary;
      const name = engineRunLabel(sizes.runMeters, sizes.runDays, workers);
      results.push(
        single(`${name} wall`, 'whole-run', 's', e2e.wallSeconds, {
          lowerIsBetter: true,
          limit: 60,
          ratio: e2e.wallSeconds / 60,
          limitKind: 'target',
          note: `${s.commands.total} commands, ${e2e.rows} rows; target ≤ 60 s`,
        }),
        single(`${name} peak memory`, 'whole-run', 'MB', e2e.maxRssBytes / 1e6, {
          lowerIsBetter: true,
          limit: 2000,
          ratio: e2e.maxRssBytes / 2e9,
          limitKind: 'target',
          note: 'maxRSS of the run process, worker threads included; target ≤ 2 GB',
        }),
        single(`${name} commands`, 'whole-run', 'commands/s', s.throughput.commandsPerSecond, {
          note: `${s.commands.total} commands over ${s.stepsRun} steps`,
        }),
        single(`${name} DuckDB ingest`, 'whole-run', 'rows/s', e2e.rows / e2e.ingestSeconds, {
          limit: 1_000_000,
          ratio: e2e.rows / e2e.ingestSeconds / 1e6,
          limitKind: 'target',
          note: `${e2e.rows} rows in ${e2e.ingestSeconds.toFixed(2)} s of appends; target ≥ 1,000,000 rows/s`,
        }),
      );
      out.e2e = e2e;
      if (sizes.nationalMeters > 0) {
        // The same day at 1 M and at the national size: cost per meter must not grow with the fleet.
        const reference = await engineRun(sizes.runMeters, 1, workers, dir, log);
        const national = await engineRun(sizes.nationalMeters, 1, workers, dir, log);
        results.push(...nationalResults(sizes, reference, national, workers));
        out.national = national;
      }
    }
    if (parts.scenarios) {
      for (const size of sizes.scenarios) {
        const r = await scenarioRun(size, workers, dir, log);
        const name = scenarioRunLabel(size, workers);
        const s = r.summary;
        results.push(
          single(`${name} wall`, 'whole-run', 's', r.wallSeconds, {
            lowerIsBetter: true,
            note: `gbfleet run ${size.file} --meters ${size.meters} --days ${size.days}: load, build, ${s.stepsRun} steps, run database`,
          }),
          single(`${name} meter-hours`, 'whole-run', 'meter-hours/s', s.throughput.meterStepsPerSecond, {
            note: `${s.meters} meters × ${s.stepsRun} steps`,
          }),
          single(`${name} commands`, 'whole-run', 'commands/s', s.throughput.commandsPerSecond, {
            note: `${s.commands.total} commands`,
          }),
          single(`${name} peak memory`, 'whole-run', 'MB', r.maxRssBytes / 1e6, {
            lowerIsBetter: true,
            note: 'maxRSS of the run process, worker threads included',
          }),
        );
      }
    }
    if (parts.segments) results.push(...(await runSegmentsBench(sizes.segments, workers, cores, dir, log)));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak memory the national run may reach, with its run database (issue 19). */
export const NATIONAL_PEAK_BYTES = 12 * 2 ** 30;
/** A rate at the national size must stay within 20 % of the same rate at 1 M meters. */
export const SCALING_FLOOR = 0.8;

function nationalResults(
  sizes: WholeRunSizes,
  reference: EngineRun,
  national: EngineRun,
  workers: number,
): BenchResult[] {
  const name = engineRunLabel(sizes.nationalMeters, 1, workers);
  const of = (r: EngineRun) => r.summary.throughput;
  const stepRatio = of(national).meterStepsPerSecond / of(reference).meterStepsPerSecond;
  const commandRatio = of(national).commandsPerSecond / of(reference).commandsPerSecond;
  const ratioNote = (what: string, a: number, b: number) =>
    `${what}: ${Math.round(a).toLocaleString('en-GB')}/s at ${label(sizes.nationalMeters)} against ${Math.round(b).toLocaleString('en-GB')}/s at ${label(sizes.runMeters)}, 1 d each; target ≥ ${SCALING_FLOOR}`;
  return [
    single(`${name} wall`, 'whole-run', 's', national.wallSeconds, {
      lowerIsBetter: true,
      note: `status ${national.summary.status}; build ${of(national).buildSeconds.toFixed(1)} s; ${national.summary.commands.total} commands`,
    }),
    single(`${name} peak memory`, 'whole-run', 'MB', national.maxRssBytes / 1e6, {
      lowerIsBetter: true,
      limit: NATIONAL_PEAK_BYTES / 1e6,
      ratio: national.maxRssBytes / NATIONAL_PEAK_BYTES,
      limitKind: 'target',
      note: 'maxRSS with its run database; target ≤ 12 GiB',
    }),
    single(`${name} meter-steps scaling`, 'whole-run', 'ratio', stepRatio, {
      limit: SCALING_FLOOR,
      ratio: stepRatio / SCALING_FLOOR,
      limitKind: 'target',
      note: ratioNote('meter-steps', of(national).meterStepsPerSecond, of(reference).meterStepsPerSecond),
    }),
    single(`${name} commands scaling`, 'whole-run', 'ratio', commandRatio, {
      limit: SCALING_FLOOR,
      ratio: commandRatio / SCALING_FLOOR,
      limitKind: 'target',
      note: ratioNote('commands', of(national).commandsPerSecond, of(reference).commandsPerSecond),
    }),
  ];
}

async function engineRun(
  meters: number,
  days: number,
  workers: number,
  dir: string,
  log: (line: string) => void,
): Promise<EngineRun> {
  log(`whole-run: engine run with its DuckDB database, ${label(meters)} meters × ${days} days, ${workers} workers`);
  return child<EngineRun>('engine-run-child.js', [String(meters), String(days), String(workers), dir]);
}

async function scenarioRun(
  size: ScenarioRunSize,
  workers: number,
  dir: string,
  log: (line: string) => void,
): Promise<ScenarioRun> {
  log(`whole-run: gbfleet run ${size.file}, ${label(size.meters)} meters × ${size.days} days, ${workers} workers`);
  const file = new URL(size.file, REPO_ROOT).pathname;
  return child<ScenarioRun>('scenario-run-child.js', [
    file,
    String(size.meters),
    String(size.days),
    String(workers),
    dir,
  ]);
}
