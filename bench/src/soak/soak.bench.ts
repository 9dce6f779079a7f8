/**
 * Soak: one long engine run (issue 18: 1,000,000 meters × 180 simulated days) in a child
 * process, its memory sampled at the end of every simulated day (soak-run-child.ts). The promise
 * is that memory does not grow after the first week: the least-squares slope over days
 * `fromDay`..`days` of RSS less DuckDB's block cache (which DuckDB grows with the database, up to
 * its memory_limit, by design) stays under a bound that is a share of that memory on `fromDay` per
 * 30 days. The raw RSS slope and the cache's are reported beside it.
 * Nightly only: it is not in `pnpm bench`'s default `all`, nor in `pnpm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '@gbfleet/core';
import type { SoakSizes } from '../configurations.js';
import { type BenchResult, type BenchTarget, single } from '../result.js';
import { childScript, metersLabel } from '../whole-run/child-script.js';
import { type DaySample, sampleOn, slopeFrom } from './memory-slope.js';

export interface SoakRun {
  wallSeconds: number;
  maxRssBytes: number;
  samples: DaySample[];
  summary: RunSummary;
}

export interface SoakVerdict {
  /** Least-squares slopes over days fromDay..days, bytes per simulated day (may be negative). */
  rssSlope: number;
  heapSlope: number;
  workerHeapSlope: number;
  duckdbBufferSlope: number;
  /** RSS less DuckDB's buffer manager: the memory gbfleet itself holds. */
  ownSlope: number;
  /** The bound on ownSlope, bytes per simulated day: growthPerMonth × own memory on fromDay / 30. */
  bound: number;
  ownOnFromDay: number;
}

export interface SoakOutcome {
  results: BenchResult[];
  targets: BenchTarget[];
  run: SoakRun;
  verdict: SoakVerdict;
}

export function soakLabel(sizes: SoakSizes, workers: number): string {
  return `soak/engine ${metersLabel(sizes.meters)} × ${sizes.days} d (${workers} workers)`;
}

/** The slopes and the bound, from a run's daily samples (pure: bench/test/memory-slope.test.ts). */
export function soakVerdict(samples: readonly DaySample[], sizes: SoakSizes): SoakVerdict {
  const first = sampleOn(samples, sizes.fromDay);
  if (!first || first.day !== sizes.fromDay) throw new RangeError(`soak: no sample on day ${sizes.fromDay}`);
  return {
    rssSlope: slopeFrom(samples, sizes.fromDay, (s) => s.rssBytes),
    heapSlope: slopeFrom(samples, sizes.fromDay, (s) => s.heapUsedBytes),
    workerHeapSlope: slopeFrom(samples, sizes.fromDay, (s) => s.workerHeapUsedBytes),
    duckdbBufferSlope: slopeFrom(samples, sizes.fromDay, (s) => s.duckdbBufferBytes),
    ownSlope: slopeFrom(samples, sizes.fromDay, (s) => s.rssBytes - s.duckdbBufferBytes),
    bound: (sizes.growthPerMonth * (first.rssBytes - first.duckdbBufferBytes)) / 30,
    ownOnFromDay: first.rssBytes - first.duckdbBufferBytes,
  };
}

/** "day 1 412 MB, day 7 …": the series at the days the docs quote, those the run reached. */
export function seriesSummary(samples: readonly DaySample[], days: readonly number[] = [1, 7, 30, 90, 180]): string {
  const last = samples.at(-1)?.day ?? 0;
  return days
    .filter((d) => d <= last)
    .map((d) => {
      const s = sampleOn(samples, d) as DaySample;
      return `day ${s.day} ${(s.rssBytes / 1e6).toFixed(0)} MB RSS / ${(s.heapUsedBytes / 1e6).toFixed(0)} MB heap`;
    })
    .join(', ');
}

export async function runSoakBench(
  sizes: SoakSizes,
  workers: number,
  log: (line: string) => void,
): Promise<SoakOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-soak-'));
  let run: SoakRun;
  try {
    log(
      `soak: engine run with its DuckDB database, ${metersLabel(sizes.meters)} meters × ${sizes.days} days, ${workers} workers`,
    );
    run = await childScript<SoakRun>('../soak/soak-run-child.js', [
      String(sizes.meters),
      String(sizes.days),
      String(workers),
      dir,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const v = soakVerdict(run.samples, sizes);
  const name = soakLabel(sizes, workers);
  const mb = (bytes: number) => bytes / 1e6;
  const from = `days ${sizes.fromDay}..${sizes.days}`;
  const boundText = `${(sizes.growthPerMonth * 100).toFixed(0)} % of day ${sizes.fromDay}'s RSS less DuckDB's cache (${mb(v.ownOnFromDay).toFixed(0)} MB) per 30 days = ${mb(v.bound).toFixed(2)} MB/day`;
  const results = [
    single(`${name} wall`, 'whole-run', 's', run.wallSeconds, {
      lowerIsBetter: true,
      note: `${run.summary.stepsRun} steps, ${run.summary.commands.total} commands, with the run database`,
    }),
    single(`${name} peak memory`, 'whole-run', 'MB', mb(run.maxRssBytes), {
      lowerIsBetter: true,
      note: 'maxRSS of the run process, worker threads and DuckDB included',
    }),
    // Result files hold values ≥ 0, so a shrinking RSS shows as 0 growth; the note keeps the sign.
    single(
      `${name} RSS less DuckDB's cache, growth after day ${sizes.fromDay}`,
      'whole-run',
      'MB/day',
      Math.max(0, mb(v.ownSlope)),
      {
        lowerIsBetter: true,
        limit: mb(v.bound),
        ratio: Math.max(0, v.ownSlope) / v.bound,
        limitKind: 'target',
        note: `least-squares slope over ${from}: ${mb(v.ownSlope).toFixed(3)} MB/day; target ≤ ${boundText}. ${seriesSummary(run.samples)}`,
      },
    ),
    single(`${name} RSS growth after day ${sizes.fromDay}`, 'whole-run', 'MB/day', Math.max(0, mb(v.rssSlope)), {
      lowerIsBetter: true,
      tracked: false,
      note: `least-squares slope of the whole RSS over ${from}: ${mb(v.rssSlope).toFixed(3)} MB/day, DuckDB's cache included`,
    }),
    single(
      `${name} DuckDB cache growth after day ${sizes.fromDay}`,
      'whole-run',
      'MB/day',
      Math.max(0, mb(v.duckdbBufferSlope)),
      {
        lowerIsBetter: true,
        tracked: false,
        note: `slope of duckdb_memory() over ${from}: ${mb(v.duckdbBufferSlope).toFixed(3)} MB/day; bounded by the run database's memory_limit (512 MB)`,
      },
    ),
    single(`${name} heap growth after day ${sizes.fromDay}`, 'whole-run', 'MB/day', Math.max(0, mb(v.heapSlope)), {
      lowerIsBetter: true,
      tracked: false,
      note: `least-squares slope of the main thread's heapUsed over ${from}: ${mb(v.heapSlope).toFixed(3)} MB/day`,
    }),
    single(
      `${name} worker heap growth after day ${sizes.fromDay}`,
      'whole-run',
      'MB/day',
      Math.max(0, mb(v.workerHeapSlope)),
      {
        lowerIsBetter: true,
        tracked: false,
        note: `least-squares slope of the workers' heaps after the engine's daily collection, over ${from}: ${mb(v.workerHeapSlope).toFixed(3)} MB/day`,
      },
    ),
  ];
  const targets: BenchTarget[] = [
    {
      name: `${name}: memory less DuckDB's cache does not grow after day ${sizes.fromDay}`,
      value: v.ownSlope,
      target: v.bound,
      met: v.ownSlope <= v.bound,
      detail: `slope over ${from}; bound ${boundText}; whole RSS ${mb(v.rssSlope).toFixed(3)} MB/day`,
      display: `${mb(v.ownSlope).toFixed(3)} MB/day (≤ ${mb(v.bound).toFixed(2)} MB/day)`,
    },
  ];
  return { results, targets, run, verdict: v };
}
