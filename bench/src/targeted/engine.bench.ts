/**
 * Targeted: the fleet engine. Fleet build time and bytes per meter; meter-hours per second with
 * no commands (physics only); a whole run with commands and its DuckDB ingest, in a child
 * process so peak memory is the run's own. Targets (issue 3): 1,000,000 meters × 30 days with
 * the run database in ≤ 60 s and ≤ 2 GB; 10,000,000 meters × 1 day within the machine's memory;
 * ≥ 1,000,000 rows/s into DuckDB.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ACB_PARTY,
  buildFleet,
  FLEET_BYTES_PER_METER,
  KEY_MATERIAL_BYTES_PER_DEVICE,
  parseScenario,
  type RunRecordSink,
  type RunSummary,
  runScenario,
} from '@gbfleet/core';
import type { BenchResult } from '../result.js';

const run = promisify(execFile);

export interface EngineSizes {
  buildMeters: number;
  physicsMeters: number;
  physicsDays: number;
  runMeters: number;
  runDays: number;
  /** 0 skips the national-scale run. */
  nationalMeters: number;
}

export interface EngineRun {
  wallSeconds: number;
  maxRssBytes: number;
  rows: number;
  ingestSeconds: number;
  summary: RunSummary;
}

export async function runEngineBench(sizes: EngineSizes, workers: number, log: (line: string) => void) {
  const results: BenchResult[] = [];
  const single = (name: string, unit: string, value: number, note: string, extra: Partial<BenchResult> = {}) =>
    results.push({ name, unit, value, p75: value, p99: value, samples: 1, note, ...extra });

  log(`engine: building a fleet of ${sizes.buildMeters.toLocaleString('en-GB')} meters`);
  const spec = parseScenario({ name: 'bench-build', fleet: { meters: sizes.buildMeters } });
  const started = performance.now();
  buildFleet(spec.fleet, spec.seed, { suppliers: [1, 2, 3], networkOperators: [4, 5], acb: ACB_PARTY });
  const buildSeconds = (performance.now() - started) / 1000;
  single('engine/fleet-build', 'meters/s', sizes.buildMeters / buildSeconds, `${buildSeconds.toFixed(2)} s`);
  single(
    'engine/fleet-bytes-per-meter',
    'bytes',
    FLEET_BYTES_PER_METER,
    `+ ${KEY_MATERIAL_BYTES_PER_DEVICE} B of key material per commanded meter's block`,
    {
      lowerIsBetter: true,
      limit: 96,
      ratio: FLEET_BYTES_PER_METER / 96,
    },
  );

  log(
    `engine: physics only, ${sizes.physicsMeters.toLocaleString('en-GB')} meters × ${sizes.physicsDays} days, ${workers} workers`,
  );
  const quiet = parseScenario({
    name: 'bench-physics',
    days: sizes.physicsDays,
    fleet: { meters: sizes.physicsMeters, topUp: { probabilityPerHour: 0 } },
  });
  const physics = await runScenario({ spec: quiet, workers, sink: nullSink() });
  single(
    `engine/meter-hours-per-second (no commands, ${workers} workers)`,
    'meter-hours/s',
    physics.throughput.meterStepsPerSecond,
    `${physics.commands.total} commands`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-bench-'));
  try {
    const e2e = await childRun(sizes.runMeters, sizes.runDays, workers, dir, log);
    const s = e2e.summary;
    single(
      `engine/run ${label(sizes.runMeters)} × ${sizes.runDays} d (${workers} workers)`,
      's',
      e2e.wallSeconds,
      `${s.commands.total} commands, ${e2e.rows} rows`,
      { lowerIsBetter: true, limit: 60, ratio: e2e.wallSeconds / 60 },
    );
    single(
      `engine/run ${label(sizes.runMeters)} × ${sizes.runDays} d peak memory`,
      'MB',
      e2e.maxRssBytes / 1e6,
      'maxRSS, worker threads included',
      { lowerIsBetter: true, limit: 2000, ratio: e2e.maxRssBytes / 2e9 },
    );
    single(
      'engine/steps-with-commands',
      'commands/s',
      s.throughput.commandsPerSecond,
      `${s.commands.total} commands over ${s.stepsRun} steps`,
    );
    single(
      'engine/duckdb-ingest',
      'rows/s',
      e2e.rows / e2e.ingestSeconds,
      `${e2e.rows} rows in ${e2e.ingestSeconds.toFixed(2)} s of appends`,
      { limit: 1_000_000, ratio: e2e.rows / e2e.ingestSeconds / 1e6 },
    );
    const out = { results, e2e, national: undefined as EngineRun | undefined };
    if (sizes.nationalMeters > 0) {
      const national = await childRun(sizes.nationalMeters, 1, workers, dir, log);
      single(
        `engine/run ${label(sizes.nationalMeters)} × 1 d (${workers} workers)`,
        's',
        national.wallSeconds,
        `peak ${(national.maxRssBytes / 2 ** 30).toFixed(2)} GiB`,
        { lowerIsBetter: true },
      );
      single(
        `engine/run ${label(sizes.nationalMeters)} × 1 d peak memory`,
        'MB',
        national.maxRssBytes / 1e6,
        'maxRSS',
        { lowerIsBetter: true, limit: (24 * 2 ** 30) / 1e6, ratio: national.maxRssBytes / (24 * 2 ** 30) },
      );
      out.national = national;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function childRun(
  meters: number,
  days: number,
  workers: number,
  dir: string,
  log: (line: string) => void,
): Promise<EngineRun> {
  log(
    `engine: whole run with its DuckDB database, ${label(meters)} meters × ${days} days, ${workers} workers (child process)`,
  );
  const child = new URL('./engine-run-child.js', import.meta.url);
  const { stdout } = await run(process.execPath, [child.pathname, String(meters), String(days), String(workers), dir], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as EngineRun;
}

function label(meters: number): string {
  return meters >= 1e6 ? `${meters / 1e6}M` : `${meters / 1e3}k`;
}

function nullSink(): RunRecordSink {
  const none = async () => {};
  return { parties: none, meters: none, alerts: none, commands: none, supplyEvents: none, utrn: none, charges: none };
}
