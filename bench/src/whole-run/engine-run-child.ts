/**
 * Child process of the whole-run suite: one engine run (fleet build, every step, DuckDB run
 * database) in a fresh process, so its peak memory (maxRSS, worker threads included) is the
 * run's own. Prints one JSON line. Usage: node engine-run-child.js METERS DAYS WORKERS OUT_DIR
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type RunRecordSink, runScenario } from '@gbfleet/core';
import { createBenchRunDatabase } from './bench-run-database.js';

const [meters, days, workers] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const outDir = process.argv[5] as string;
const spec = parseScenario({
  name: 'bench-engine',
  days,
  fleet: { meters },
  events: [{ day: Math.min(10, days - 1), hour: 6, type: 'weather-surge', multiplier: 1.6, hours: 72 }],
});
const path = join(outDir, `bench-${meters}-${days}-${workers}.duckdb`);
const db = await createBenchRunDatabase(path, 'bench', spec, workers);
let rows = 0;
let ingestSeconds = 0;
const timed =
  <T extends { length: number }>(append: (batch: T) => Promise<void>) =>
  async (batch: T) => {
    const t = performance.now();
    await append(batch);
    ingestSeconds += (performance.now() - t) / 1000;
    rows += batch.length;
  };
const target = db.recordSink();
const sink: RunRecordSink = {
  ...target,
  meters: timed(target.meters),
  alerts: timed(target.alerts),
  commands: timed(target.commands),
  supplyEvents: timed(target.supplyEvents),
  utrn: timed(target.utrn),
};
const started = performance.now();
const summary = await runScenario({ spec, workers, sink });
await db.finish('completed');
const wallSeconds = (performance.now() - started) / 1000;
rmSync(path, { force: true });
process.stdout.write(
  `${JSON.stringify({
    wallSeconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rows,
    ingestSeconds,
    summary,
  })}\n`,
);
