/**
 * The whole fleet as the run starts, for the switch plan, which is fleet-wide (switch-plan.ts).
 * A whole run has it in `run.fleet` at setup. A segment builds only its own meters (the others
 * are zero), so it builds the whole fleet again into a scratch FleetState: each meter's
 * attributes are pure functions of (seed, meter), so that is the fleet the whole run starts
 * with, and every segment makes the whole run's plan. Cost: one fleet build per segment
 * (FLEET_BYTES_PER_METER, 76 bytes, a meter: 76 MB and about 0.3 s at 1,000,000 meters),
 * garbage once the plan is made.
 */
import { buildFleet, type FleetState, fleetPartiesOf, type RunContext } from '@gbfleet/core';
import { CosPlanError } from './errors.js';

export function fleetAtStart(run: RunContext): FleetState {
  const { fleet, owned, spec } = run;
  if (owned.lo === 0 && owned.hi === fleet.meters) return fleet;
  const whole = buildFleet(spec.fleet, spec.seed, fleetPartiesOf(spec.fleet, run.parties));
  // Only a plug-in set up before this one could make them differ, and it could not do the same
  // to the meters this segment does not own: refuse rather than plan on another fleet.
  const built = whole.columns.registeredSupplier;
  const here = fleet.columns.registeredSupplier;
  for (let m = owned.lo; m < owned.hi; m++) {
    if (built[m] !== here[m]) {
      throw new CosPlanError(
        `meter ${m} is registered to party ${here[m]} at setup but was built registered to party ${built[m]}: the CoS plan needs every meter's registration at the start, which a segmented run knows only for a fleet as built; run it unsegmented`,
      );
    }
  }
  return whole;
}
