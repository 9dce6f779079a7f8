/**
 * One benchmark figure as written to JSON: `name`, `unit`, `value` (median), `p75`, `p99`,
 * `samples`, and, where the figure has a limit, `limit` and `ratio` (value / limit). Rates are
 * per second; higher is better unless `lowerIsBetter`. p75/p99 are always on the slower side.
 * A result file (`BenchDocument`) carries the machine and git revision the figures came from.
 */
import type { Bench } from 'tinybench';
import type { BenchSizes } from './configurations.js';
import type { GitInfo, MachineInfo } from './machine.js';
import type { DaySample } from './soak/memory-slope.js';

/** Bump when a result file's shape changes; `bench:compare` refuses other versions. */
export const SCHEMA_VERSION = 2;

export type BenchGroup = 'micro' | 'targeted' | 'whole-run' | 'limit';

/**
 * `machine`: the limit is this machine's own (e.g. `openssl speed`), measured in the same run,
 * so `ratio` compares across machines. `target`: a fixed goal from an issue (e.g. ≤ 60 s).
 */
export type LimitKind = 'machine' | 'target';

export interface BenchResult {
  name: string;
  group: BenchGroup;
  unit: string;
  value: number;
  p75: number;
  p99: number;
  samples: number;
  limit?: number;
  ratio?: number;
  limitKind?: LimitKind;
  lowerIsBetter?: boolean;
  /** False for figures the regression gate ignores (machine limits, figures derived from another). */
  tracked?: boolean;
  note?: string;
}

export interface BenchTarget {
  name: string;
  value: number;
  target: number;
  met: boolean;
  detail: string;
  /** How to show value against target, when not a ratio (e.g. "17.1 s (≤ 60 s)"). */
  display?: string;
}

export interface BenchDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  machine: MachineInfo;
  git: GitInfo;
  /** When the run started (ISO 8601). */
  date: string;
  sizes: 'full' | 'quick';
  /** The parts that ran (see main.ts), e.g. ["frames", "crypto", "utrn"]. */
  parts: string[];
  configuration: BenchSizes;
  /** Set when GBFLEET_BENCH_SLOWDOWN deliberately slowed a figure: never keep such a file as a baseline. */
  slowdown?: { figure: string; factor: number };
  limits: Record<string, unknown>;
  results: BenchResult[];
  targets: BenchTarget[];
  /** The soak's memory series, one sample per simulated day (soak/soak.bench.ts), when it ran. */
  soak?: { name: string; fromDay: number; samples: DaySample[] };
}

/**
 * Turns tinybench task latencies (ms per iteration) into rates: `itemsPerIteration / latency`.
 * Percentiles of a rate come from the matching latency percentiles (p75 rate = rate at the p75
 * latency, i.e. the slower side), so p75/p99 are conservative.
 */
export function ratesFromBench(
  bench: Bench,
  itemsPerIteration: Record<string, number>,
  unit: string,
  group: BenchGroup,
): BenchResult[] {
  const out: BenchResult[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result?.state !== 'completed') {
      throw new Error(`benchmark task ${task.name} did not complete (${result?.state ?? 'no result'})`);
    }
    const items = itemsPerIteration[task.name] ?? 1;
    const latency = result.latency;
    const perSecond = (ms: number | undefined) => (ms && ms > 0 ? (items * 1000) / ms : 0);
    out.push({
      name: task.name,
      group,
      unit,
      value: perSecond(latency.p50),
      p75: perSecond(latency.p75),
      p99: perSecond(latency.p99),
      samples: latency.samplesCount,
    });
  }
  return out;
}

/** A figure measured once (a whole run, a limit): its median and percentiles are the one value. */
export function single(
  name: string,
  group: BenchGroup,
  unit: string,
  value: number,
  extra: Partial<BenchResult> = {},
): BenchResult {
  return { name, group, unit, value, p75: value, p99: value, samples: 1, ...extra };
}

/**
 * A figure measured a few times (e.g. the DuckDB ingest): median, and p75/p99 on the slower side
 * (low rates when higher is better, high values when lower is better), linearly interpolated.
 */
export function fromSamples(
  name: string,
  group: BenchGroup,
  unit: string,
  samples: number[],
  extra: Partial<BenchResult> = {},
): BenchResult {
  if (samples.length === 0) throw new RangeError(`${name}: no samples`);
  const sorted = [...samples].sort((a, b) => a - b);
  const lower = extra.lowerIsBetter === true;
  const at = (q: number) => quantile(sorted, lower ? q : 1 - q);
  return { name, group, unit, value: at(0.5), p75: at(0.75), p99: at(0.99), samples: samples.length, ...extra };
}

/** Quantile q of ascending `sorted`, linear between neighbours. */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function withLimit(result: BenchResult, limit: number, limitKind: LimitKind): BenchResult {
  return { ...result, limit, ratio: result.value / limit, limitKind };
}
