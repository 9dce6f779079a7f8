/**
 * The engine: builds the run (run-setup.ts), walks simulated time in bulk-synchronous steps
 * (step-loop.ts), keeps the rows of the steps done however it ends, and sums the run up
 * (run-summary.ts). Outcomes depend on (scenario, seed) only: never on worker count, segments
 * or timing (the shard size, fleet.shardMeters, is part of the scenario).
 */
import type { ChargeInputs } from './charges.js';
import { type RunOptions, setUpRun } from './run-setup.js';
import { type RunClock, type RunSummary, summarise } from './run-summary.js';
import { StepLoop } from './step-loop.js';

export type { RunOptions } from './run-setup.js';
export { mergeFigures, type RunProgress, type RunStage, type RunSummary } from './run-summary.js';

export async function runScenario(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const run = await setUpRun(options);
  const clock: RunClock = {
    started,
    buildSeconds: (performance.now() - started) / 1000,
    loopStarted: 0,
    firstStep: options.resume?.step ?? 0,
    commandsBefore: 0,
  };
  clock.loopStarted = performance.now();
  const loop = new StepLoop(run, options, clock);
  let chargeInputs: ChargeInputs;
  try {
    await loop.runAll();
    chargeInputs = await loop.keepStepsDone();
  } catch (error) {
    // What was simulated before the failure is kept, so an analyst can see what led up to it.
    await loop.keepStepsDone().catch((flushError: unknown) => {
      if (error instanceof Error) error.message += `; the rows before it could not be written either: ${flushError}`;
    });
    throw error;
  } finally {
    await run.pool.close();
  }
  return summarise({
    spec: run.spec,
    fleet: run.fleet,
    status: loop.status,
    workers: run.workers,
    shards: run.owned.shards,
    stepsPlanned: run.steps,
    stepsRun: loop.stepsDone,
    tally: loop.tally,
    figures: loop.figures,
    peakFigures: [...loop.peakFigures].sort(),
    stillHeld: run.dcc.stillHeld(),
    clock,
    ...(run.segment
      ? {
          segment: {
            ...run.segment,
            firstMeter: run.owned.lo,
            meters: run.owned.hi - run.owned.lo,
            chargeInputs,
          },
        }
      : {}),
  });
}

export { DEVICE_EUI_BASE } from '../fleet/device-eui.js';
