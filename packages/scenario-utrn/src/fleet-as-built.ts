/**
 * The whole fleet as the engine built it, for the one plan made over every meter at setup: the
 * surge's (surge-plan.ts). A segment's `run.fleet` holds only its own meters (the others' columns
 * are zero), but every meter's attributes are pure functions of (seed, meter), so each segment
 * can rebuild them all and every segment — and the whole run — makes the same plan. The cost is
 * one more fleet build at setup (about 0.3 s and 38 MB at 500,000 meters), dropped once the plan
 * is made.
 */
import { buildFleet, type FleetState, fleetPartiesOf, type RunContext } from '@gbfleet/core';

export function fleetAsBuilt(run: RunContext): FleetState {
  const { fleet, seed } = run.spec;
  return buildFleet(fleet, seed, fleetPartiesOf(fleet, run.parties));
}
