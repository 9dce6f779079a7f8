/**
 * Real run databases for report tests: the engine (core's runScenario, real workers and frames)
 * writes through RunDatabase, as `gbfleet run` does. Scenarios are tiny: a few dozen meters.
 */
import { join } from 'node:path';
import { parseScenario, runScenario, stepsOf } from '@gbfleet/core';
import { RunDatabase } from '../../src/index.ts';

/** A small scenario with prepayment meters running low and one supplier failing on day 1. */
export function smallScenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'report test',
    seed: '7',
    start: '2026-01-29T00:00:00Z', // the run crosses into February: two charge months
    days: 5,
    stepMinutes: 120,
    fleet: {
      meters: 60,
      paymentMode: { prepayment: 0.6, credit: 0.4 },
      prepayment: { initialCreditPounds: { min: 0, max: 6 }, emergencyCreditPounds: 2 },
      suppliers: [
        { name: 'Aurora Energy', share: 0.5, meterPoints: 900000, creditCoverPence: 0 },
        { name: "O'Brien Power", share: 0.3, meterPoints: 400000, creditCoverPence: 20000000 },
        { name: 'Cobalt Supply', share: 0.2, meterPoints: 100000, creditCoverPence: 1000000 },
      ],
    },
    events: [{ day: 1, hour: 6, type: 'supplier-fails', supplier: 'Cobalt Supply' }],
    ...overrides,
  };
}

/** Runs `scenario` with the engine into `dir/<file>` and returns the database's path. */
export async function engineRun(dir: string, file: string, scenario = smallScenario(), workers = 1): Promise<string> {
  const spec = parseScenario(scenario);
  const db = await RunDatabase.create(join(dir, file), {
    runId: `${file}-s${spec.seed}`,
    scenarioName: spec.name,
    scenarioHash: '0'.repeat(64),
    seed: spec.seed,
    codeVersion: '0.1.0-test',
    workers,
    meters: spec.fleet.meters,
    start: spec.start,
    stepMinutes: spec.stepMinutes,
    steps: stepsOf(spec),
  });
  try {
    const summary = await runScenario({
      spec,
      workers,
      sink: db.recordSink(),
    });
    return await db.finish(summary.status === 'completed' ? 'completed' : 'interrupted');
  } finally {
    await db.abandon();
  }
}
