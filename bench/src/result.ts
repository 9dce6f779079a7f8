/**
 * One benchmark figure as written to JSON: `name`, `unit`, `value` (median), `p75`, `p99`,
 * `samples`, and, where the figure has a machine limit measured in the same run, `limit` and
 * `ratio` (value / limit). Rates are per second; higher is better unless `lowerIsBetter`.
 */
import type { Bench } from 'tinybench';

export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  p75: number;
  p99: number;
  samples: number;
  limit?: number;
  ratio?: number;
  lowerIsBetter?: boolean;
  note?: string;
}

/**
 * Turns tinybench task latencies (ms per iteration) into rates: `itemsPerIteration / latency`.
 * Percentiles of a rate come from the matching latency percentiles (p75 rate = rate at the p75
 * latency, i.e. the slower side), so p75/p99 are conservative.
 */
export function ratesFromBench(bench: Bench, itemsPerIteration: Record<string, number>, unit: string): BenchResult[] {
  const out: BenchResult[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (!result || result.state !== 'completed') {
      throw new Error(`benchmark task ${task.name} did not complete (${result?.state ?? 'no result'})`);
    }
    const items = itemsPerIteration[task.name] ?? 1;
    const latency = result.latency;
    const perSecond = (ms: number | undefined) => (ms && ms > 0 ? (items * 1000) / ms : 0);
    out.push({
      name: task.name,
      unit,
      value: perSecond(latency.p50),
      p75: perSecond(latency.p75),
      p99: perSecond(latency.p99),
      samples: latency.samplesCount,
    });
  }
  return out;
}

export function withLimit(result: BenchResult, limit: number): BenchResult {
  return { ...result, limit, ratio: result.value / limit };
}
