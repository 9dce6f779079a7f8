/**
 * Whole-run: a run split into segments (`gbfleet run --segment K/N`) and merged (`gbfleet merge`),
 * every command in a fresh child process (cli-run-child.ts) so each one's maxRSS is its own.
 * - The split cost on one machine: the run as one process, then as N segments running at once
 *   here (cores / N workers each), each set merged. The merge must equal the one-process run
 *   (runDigest), or the bench fails: a fast split that changes the outcome is no figure.
 * - The merge: S segments of a large run, run one after another (they only need to exist), then
 *   the merge timed in rows/s with its peak memory.
 */
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunSummary } from '@gbfleet/core';
import { runDigest } from '@gbfleet/reports';
import type { SegmentSizes, ShardedRunSize } from '../configurations.js';
import { type BenchResult, single } from '../result.js';
import { childScript, metersLabel, REPO_ROOT } from './child-script.js';

/** What cli-run-child.ts prints, and how long its process took as seen from here. */
interface CliRun<T> {
  /** The command's own time, in its process. */
  wallSeconds: number;
  /** The child process's whole life (Node's start-up and the CLI's import included). */
  processSeconds: number;
  maxRssBytes: number;
  /** User + system CPU seconds of the child, all threads. */
  cpuSeconds: number;
  output: T;
  /** From spawning the child to its exit, measured here. */
  elapsedSeconds: number;
}

type RunOutput = RunSummary & { database: string };

interface MergeOutput {
  path: string;
  runId: string;
  segments: number;
  rows: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

async function gbfleet<T>(args: string[]): Promise<CliRun<T>> {
  const started = performance.now();
  const r = await childScript<Omit<CliRun<T>, 'elapsedSeconds'>>('cli-run-child.js', args);
  return { ...r, elapsedSeconds: (performance.now() - started) / 1000 };
}

function shardsOf(size: ShardedRunSize): number {
  return Math.ceil(size.meters / size.shardMeters);
}

/** `whole-run/segments default.yaml 1M × 3 d (8 shards)`: the split figures' common name. */
export function splitLabel(size: ShardedRunSize): string {
  return `whole-run/segments ${basename(size.file)} ${metersLabel(size.meters)} × ${size.days} d (${shardsOf(size)} shards)`;
}

/** `whole-run/merge default.yaml 10M × 1 d (8 segments)`: the merge figures' common name. */
export function mergeLabel(size: ShardedRunSize & { segments: number }): string {
  return `whole-run/merge ${basename(size.file)} ${metersLabel(size.meters)} × ${size.days} d (${size.segments} segments)`;
}

/** Workers per segment when `count` segments share `cores`: at least one each. */
export function segmentWorkers(cores: number, count: number): number {
  return Math.max(1, Math.floor(cores / count));
}

export async function runSegmentsBench(
  sizes: SegmentSizes,
  workers: number,
  cores: number,
  dir: string,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  return [
    ...(await splitCost(sizes.split, workers, cores, dir, log)),
    ...(await mergeCost(sizes.merge, workers, dir, log)),
  ];
}

function runArgs(size: ShardedRunSize): string[] {
  const file = new URL(size.file, REPO_ROOT).pathname;
  return [
    'run',
    file,
    '--meters',
    String(size.meters),
    '--days',
    String(size.days),
    '--shard-meters',
    String(size.shardMeters),
  ];
}

function describe(what: string, r: CliRun<RunOutput>): string {
  const s = r.output;
  const seg = s.segment ? `segment ${s.segment.index}/${s.segment.count}, ` : '';
  // A segment's summary counts the fleet's meters in `meters`, its own in `segment.meters`.
  const meters = s.segment?.meters ?? s.meters;
  return `${what}: ${seg}${meters.toLocaleString('en-GB')} meters × ${s.stepsRun} steps, ${s.workers} worker${s.workers === 1 ? '' : 's'}: process ${r.elapsedSeconds.toFixed(2)} s (start-up ${(r.processSeconds - r.wallSeconds).toFixed(2)} s, command ${r.wallSeconds.toFixed(2)} s: run ${s.throughput.wallSeconds.toFixed(2)} s of which build ${s.throughput.buildSeconds.toFixed(2)} s), ${r.cpuSeconds.toFixed(1)} CPU s, ${(r.maxRssBytes / 1e6).toFixed(0)} MB`;
}

async function splitCost(
  size: SegmentSizes['split'],
  workers: number,
  cores: number,
  dir: string,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const name = splitLabel(size);
  const args = runArgs(size);
  const results: BenchResult[] = [];
  log(
    `whole-run: segments: ${size.file}, ${metersLabel(size.meters)} meters × ${size.days} days as 1 process, ${workers} workers`,
  );
  const one = await gbfleet<RunOutput>([...args, '--workers', String(workers), '--out', join(dir, 'one'), '--json']);
  log(`  ${describe('1 process', one)}`);
  const expected = await runDigest(one.output.database);
  const oneName = `${name} 1 process (${workers} workers)`;
  results.push(
    single(`${oneName} wall`, 'whole-run', 's', one.elapsedSeconds, {
      lowerIsBetter: true,
      note: `gbfleet run ${size.file} --meters ${size.meters} --days ${size.days} --shard-meters ${size.shardMeters}: the process from spawn to exit`,
    }),
    single(`${oneName} meter-hours`, 'whole-run', 'meter-hours/s', one.output.throughput.meterStepsPerSecond, {
      note: `${one.output.meters} meters × ${one.output.stepsRun} steps`,
    }),
    single(`${oneName} peak memory`, 'whole-run', 'MB', one.maxRssBytes / 1e6, {
      lowerIsBetter: true,
      note: 'maxRSS of the run process, worker threads included',
    }),
  );
  for (const count of size.counts) {
    const each = segmentWorkers(cores, count);
    const out = join(dir, `n${count}`);
    log(
      `whole-run: segments: the same run as ${count} segments at once, ${each} worker${each === 1 ? '' : 's'} each, then merged`,
    );
    const started = performance.now();
    const segments = await Promise.all(
      Array.from({ length: count }, (_, k) =>
        gbfleet<RunOutput>([...args, '--workers', String(each), '--segment', `${k}/${count}`, '--out', out, '--json']),
      ),
    );
    const wall = (performance.now() - started) / 1000;
    for (const s of segments) log(`  ${describe('segment', s)}`);
    const merge = await gbfleet<MergeOutput>(['merge', out, '--json']);
    const digest = await runDigest(merge.output.path);
    if (digest !== expected) {
      throw new Error(
        `segments: the merge of ${count} segments is not the one-process run: runDigest ${digest} ≠ ${expected} (gbfleet run ${args.slice(1).join(' ')}); a split must not change the outcome`,
      );
    }
    const total = sum(merge.output.rows);
    log(
      `  merge: ${total.toLocaleString('en-GB')} rows in ${merge.output.seconds.toFixed(2)} s, ${(merge.maxRssBytes / 1e6).toFixed(0)} MB; runDigest equals the one-process run's`,
    );
    const segName = `${name} ${count} segments at once (${each} worker${each === 1 ? '' : 's'} each)`;
    const peak = Math.max(...segments.map((s) => s.maxRssBytes));
    results.push(
      single(`${segName} wall`, 'whole-run', 's', wall, {
        lowerIsBetter: true,
        limit: one.elapsedSeconds,
        ratio: wall / one.elapsedSeconds,
        limitKind: 'machine',
        note: `from the first segment's spawn to the last one's exit, merge not included; ratio to the one-process wall in the same run (${one.elapsedSeconds.toFixed(2)} s); with the merge ${((wall + merge.elapsedSeconds) / one.elapsedSeconds).toFixed(2)}×`,
      }),
      single(`${segName} peak memory per segment`, 'whole-run', 'MB', peak / 1e6, {
        lowerIsBetter: true,
        note: `the largest segment process's maxRSS (${segments.map((s) => (s.maxRssBytes / 1e6).toFixed(0)).join(', ')} MB)`,
      }),
      single(`${name} ${count} segments merge wall`, 'whole-run', 's', merge.output.seconds, {
        lowerIsBetter: true,
        note: `gbfleet merge --json's seconds: ${total} rows; the process ${merge.elapsedSeconds.toFixed(2)} s, ${(merge.maxRssBytes / 1e6).toFixed(0)} MB`,
      }),
    );
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(join(dir, 'one'), { recursive: true, force: true });
  return results;
}

async function mergeCost(
  size: SegmentSizes['merge'],
  workers: number,
  dir: string,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const name = mergeLabel(size);
  const args = runArgs(size);
  const out = join(dir, 'merge');
  log(
    `whole-run: merge: ${size.file}, ${metersLabel(size.meters)} meters × ${size.days} days as ${size.segments} segments, one after another (${workers} workers), then merged`,
  );
  const segments: CliRun<RunOutput>[] = [];
  for (let k = 0; k < size.segments; k++) {
    const s = await gbfleet<RunOutput>([
      ...args,
      '--workers',
      String(workers),
      '--segment',
      `${k}/${size.segments}`,
      '--out',
      out,
      '--json',
    ]);
    log(`  ${describe('segment', s)}`);
    segments.push(s);
  }
  const merge = await gbfleet<MergeOutput>(['merge', out, '--json']);
  const rows = merge.output.rows;
  const total = sum(rows);
  const byTable = Object.entries(rows)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  log(
    `  merge: ${total.toLocaleString('en-GB')} rows (${byTable}) in ${merge.output.seconds.toFixed(2)} s (process ${merge.elapsedSeconds.toFixed(2)} s), ${(merge.maxRssBytes / 1e6).toFixed(0)} MB`,
  );
  rmSync(out, { recursive: true, force: true });
  return [
    single(`${name} rows`, 'whole-run', 'rows/s', merge.output.rowsPerSecond, {
      note: `gbfleet merge --json: ${total} rows (${byTable}) in ${merge.output.seconds.toFixed(2)} s`,
    }),
    single(`${name} wall`, 'whole-run', 's', merge.output.seconds, {
      lowerIsBetter: true,
      tracked: false,
      note: 'the merge rate above as seconds',
    }),
    single(`${name} peak memory`, 'whole-run', 'MB', merge.maxRssBytes / 1e6, {
      lowerIsBetter: true,
      note: 'maxRSS of the merge process (DuckDB included)',
    }),
    single(
      `${name} segment wall (max, ${workers} workers, one at a time)`,
      'whole-run',
      's',
      Math.max(...segments.map((s) => s.elapsedSeconds)),
      {
        lowerIsBetter: true,
        note: `each segment process from spawn to exit, alone on the machine (${segments.map((s) => s.elapsedSeconds.toFixed(1)).join(', ')} s)`,
      },
    ),
    single(
      `${name} segment peak memory (max)`,
      'whole-run',
      'MB',
      Math.max(...segments.map((s) => s.maxRssBytes)) / 1e6,
      {
        lowerIsBetter: true,
        note: `the largest segment process's maxRSS (${segments.map((s) => (s.maxRssBytes / 1e6).toFixed(0)).join(', ')} MB)`,
      },
    ),
  ];
}

function sum(rows: Record<string, number>): number {
  return Object.values(rows).reduce((a, b) => a + b, 0);
}
