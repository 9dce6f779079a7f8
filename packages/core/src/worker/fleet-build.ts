/**
 * A range of the run's fleet built in a worker, into the shared buffers every thread sees: each
 * meter is a pure function of (seed, meter), so the workers' ranges add up to the one-thread build
 * byte for byte, whoever builds which. The as-built `meters` rows of the range are filled too,
 * before anything can change the fleet.
 */
import { WorkerSetupError } from '../errors.js';
import { fillFleet } from '../fleet/build-fleet.js';
import { fillSnapshot } from '../fleet/fleet-snapshot.js';
import { seedKey } from '../random/meter-random.js';
import type { FleetBuildTask } from '../worker-protocol.js';
import type { WorkerState } from './worker-state.js';

/** Builds meters [lo, hi) (and their snapshot rows, when asked); returns how many. */
export function buildFleetRange(state: WorkerState, build: FleetBuildTask): number {
  if (!state.fleet) throw new WorkerSetupError('a fleet build needs a pool opened with the fleet');
  fillFleet(state.fleet, build.spec, build.seed, build.parties, build);
  const consumption = { key: seedKey(build.seed), spec: build.spec.consumption };
  if (build.snapshot) fillSnapshot(build.snapshot, state.fleet, consumption, build);
  return build.hi - build.lo;
}
