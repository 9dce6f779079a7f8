/**
 * The run database a bench child writes: a fresh file at `path` (any left by an earlier run is
 * removed), its `runs` row from the scenario, so the engine runs exactly as `gbfleet run` would.
 */
import { rmSync } from 'node:fs';
import { type ScenarioSpec, stepsOf } from '@gbfleet/core';
import { RunDatabase } from '@gbfleet/reports';

export function createBenchRunDatabase(path: string, runId: string, spec: ScenarioSpec, workers: number) {
  rmSync(path, { force: true });
  return RunDatabase.create(path, {
    runId,
    scenarioName: spec.name,
    scenarioHash: '0'.repeat(64),
    seed: spec.seed,
    codeVersion: '0.1.0',
    workers,
    meters: spec.fleet.meters,
    start: spec.start,
    stepMinutes: spec.stepMinutes,
    steps: stepsOf(spec),
  });
}
