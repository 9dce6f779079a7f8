/**
 * A run as N segments, one after another in this process, each into its own MemorySink, then
 * put together as the merge does: every segment's rows (the parties once), and the charges computed once from the
 * segments' charge inputs added up. For tests that prove a scenario splits exactly (the CLI's
 * `--segment` and `gbfleet merge` do the same through Parquet files).
 */
import { MemorySink } from '../run/memory-sink.js';
import { stepsPerDayOf } from '../scenario/scenario-clock.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import { chargeRows, sumChargeInputs } from './charges.js';
import { runScenario } from './run-engine.js';
import { mergeFigures, type RunSummary } from './run-summary.js';
import type { ScenarioPlugin } from './scenario-plugin.js';

export interface SegmentedMemoryRun {
  /** Every segment's rows, and the whole run's charges. */
  sink: MemorySink;
  summaries: RunSummary[];
  /** The segments' figures merged: maxima by max, the rest added up. */
  figures: Record<string, number>;
}

export async function runSegmentsInMemory(
  spec: ScenarioSpec,
  /** Fresh plug-ins for each segment (a plug-in holds one run's state). */
  plugins: () => ScenarioPlugin[],
  count: number,
  workers = 1,
): Promise<SegmentedMemoryRun> {
  const sink = new MemorySink();
  const summaries: RunSummary[] = [];
  for (let index = 0; index < count; index++) {
    const part = new MemorySink();
    summaries.push(await runScenario({ spec, plugins: plugins(), workers, sink: part, segment: { index, count } }));
    for (const [table, rows] of Object.entries(part.tables)) {
      // Every segment writes the same parties; the merge keeps one copy.
      if (table === 'parties' && index > 0) continue;
      sink.tables[table] = [...(sink.tables[table] ?? []), ...rows];
    }
  }
  const inputs = sumChargeInputs(summaries.map((s) => s.segment?.chargeInputs).filter((c) => c !== undefined));
  await sink.charges(chargeRows(spec, inputs, Date.parse(spec.start), stepsPerDayOf(spec)));
  return { sink, summaries, figures: mergeFigures(summaries) };
}
