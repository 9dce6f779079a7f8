/**
 * Targeted: the fleet engine's own parts, in this process. Fleet build (meters/s) and bytes per
 * meter; meter-hours per second with no commands (the shard-step physics through the pool). The
 * whole runs with commands and the run database are in whole-run/whole-run.bench.ts.
 */

import {
  ACB_PARTY,
  buildFleet,
  FLEET_BYTES_PER_METER,
  KEY_BYTES_PER_DERIVED_DEVICE,
  KEY_INDEX_BYTES_PER_DEVICE,
  parseScenario,
  type RunRecordSink,
  runScenario,
} from '@gbfleet/core';
import type { EngineSizes } from '../configurations.js';
import { type BenchResult, single } from '../result.js';

export const FLEET_BUILD = 'engine/fleet-build';
export const FLEET_BYTES = 'engine/fleet-bytes-per-meter';

export function physicsName(workers: number): string {
  return `engine/meter-hours-per-second (no commands, ${workers} workers)`;
}

export async function runEngineBench(
  sizes: EngineSizes,
  workers: number,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  log(`engine: building a fleet of ${sizes.buildMeters.toLocaleString('en-GB')} meters`);
  const spec = parseScenario({ name: 'bench-build', fleet: { meters: sizes.buildMeters } });
  const started = performance.now();
  buildFleet(spec.fleet, spec.seed, { suppliers: [1, 2, 3], networkOperators: [4, 5], acb: ACB_PARTY });
  const buildSeconds = (performance.now() - started) / 1000;
  results.push(
    single(FLEET_BUILD, 'targeted', 'meters/s', sizes.buildMeters / buildSeconds, {
      note: `${sizes.buildMeters} meters in ${buildSeconds.toFixed(2)} s`,
    }),
    single(FLEET_BYTES, 'targeted', 'bytes', FLEET_BYTES_PER_METER, {
      lowerIsBetter: true,
      limit: 64,
      ratio: FLEET_BYTES_PER_METER / 64,
      limitKind: 'target',
      note: `key material apart: ${KEY_INDEX_BYTES_PER_DEVICE} B a meter, ${KEY_BYTES_PER_DERIVED_DEVICE} B more a meter that needed a Z; target ≤ 64 B`,
    }),
  );

  log(
    `engine: physics only, ${sizes.physicsMeters.toLocaleString('en-GB')} meters × ${sizes.physicsDays} days, ${workers} workers`,
  );
  const quiet = parseScenario({
    name: 'bench-physics',
    days: sizes.physicsDays,
    fleet: { meters: sizes.physicsMeters, topUp: { probabilityPerHour: 0 } },
  });
  const physics = await runScenario({ spec: quiet, workers, sink: nullSink() });
  results.push(
    single(physicsName(workers), 'targeted', 'meter-hours/s', physics.throughput.meterStepsPerSecond, {
      note: `${sizes.physicsMeters} meters × ${sizes.physicsDays} d, ${physics.commands.total} commands`,
    }),
  );
  return results;
}

function nullSink(): RunRecordSink {
  const none = async () => {};
  return { parties: none, meters: none, alerts: none, commands: none, supplyEvents: none, utrn: none, charges: none };
}
