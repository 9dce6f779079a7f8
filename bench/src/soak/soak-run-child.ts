/**
 * Child process of the soak suite: one long engine run (fleet build, every step, commands, the
 * DuckDB run database) in a fresh process, with `process.memoryUsage()` sampled at the end of
 * every simulated day from the engine's onProgress, just after a full garbage collection of the
 * main thread (the engine collects the workers' at the same moment): garbage waiting for the
 * collector is not growth, and without the collection the slope measures when V8 happened to collect. Prints one JSON line with the samples.
 * Usage: node soak-run-child.js METERS DAYS WORKERS OUT_DIR
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseScenario, runScenario, stepsPerDayOf } from '@gbfleet/core';
import { createBenchRunDatabase } from '../whole-run/bench-run-database.js';
import type { DaySample } from './memory-slope.js';

const [meters, days, workers] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const outDir = process.argv[5] as string;
// The whole-run engine scenario (engine-run-child.ts) with the default scenario's DCC outage, and
// both events repeated every 30 days, so every month of the soak has a surge and an outage.
const events = [];
for (let month = 0; month * 30 < days; month++) {
  const base = month * 30;
  if (base + 10 < days) events.push({ day: base + 10, hour: 6, type: 'weather-surge', multiplier: 1.6, hours: 72 });
  if (base + 20 < days) events.push({ day: base + 20, hour: 9, type: 'dcc-outage', hours: 6 });
}
const spec = parseScenario({ name: 'bench-soak', days, fleet: { meters }, events });
const stepsPerDay = stepsPerDayOf(spec);
const path = join(outDir, `soak-${meters}-${days}-${workers}.duckdb`);
const db = await createBenchRunDatabase(path, 'soak', spec, workers);
// `--expose-gc` set from inside, so childScript need not pass flags (Node's documented v8 API).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const samples: DaySample[] = [];
const pending: Promise<unknown>[] = [];
const started = performance.now();
const summary = await runScenario({
  spec,
  workers,
  sink: db.recordSink(),
  // The engine collects the workers' garbage at the end of every simulated day (its default), just
  // before this callback; their heaps after it come with the progress.
  onProgress: ({ step, workerHeapUsedBytes }) => {
    if (step % stepsPerDay !== 0) return;
    gc();
    const m = process.memoryUsage();
    samples.push({
      day: step / stepsPerDay,
      rssBytes: m.rss,
      heapUsedBytes: m.heapUsed,
      externalBytes: m.external,
      arrayBuffersBytes: m.arrayBuffers,
      workerHeapUsedBytes: workerHeapUsedBytes ?? 0,
      duckdbBufferBytes: 0,
    });
    // Asked in the database's queue: answered once the appends before it are done.
    const sample = samples.at(-1) as DaySample;
    pending.push(db.bufferedBytes().then((bytes) => (sample.duckdbBufferBytes = bytes)));
  },
});
await Promise.all(pending);
await db.finish('completed');
const wallSeconds = (performance.now() - started) / 1000;
rmSync(path, { force: true });
process.stdout.write(
  `${JSON.stringify({ wallSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, samples, summary })}\n`,
);
