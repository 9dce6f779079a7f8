/**
 * Builds a fleet from its spec and the seed. Each meter's attributes are pure functions of
 * (seed, meter index), so a fleet of N meters is the first N meters of any larger fleet with the
 * same spec, and no build order or sharding can change a meter.
 */

import { Calendar, InvalidArgumentError } from '@gbfleet/gbcs';
import { ACB_PARTY } from '../parties/party-table.js';
import { MeterStream, meterRandom, seedKey } from '../random/meter-random.js';
import type { FleetSpec } from '../scenario/scenario-spec.js';
import { FleetDraw as Draw } from './fleet-draws.js';
import {
  allocateFleet,
  CENTIPENCE_PER_POUND,
  FleetFlag,
  type FleetState,
  Fuel,
  PaymentMode,
  SupplyState,
  WanClass,
} from './fleet-state.js';

export interface FleetParties {
  /** Party index of each of `spec.suppliers`, in order. */
  suppliers: number[];
  /** Party index of each of `spec.networkOperators`, in order. */
  networkOperators: number[];
  /** Party index of the ACB (the ACB cell of every meter). */
  acb: number;
}

/**
 * The party indexes a fleet is built with, from the scenario's supplier and network-operator names
 * in the run's party table. The engine builds the run's fleet with these, and
 * a plug-in that rebuilds meters another segment owns (they are pure functions of seed and meter)
 * must use the same.
 */
export function fleetPartiesOf(spec: FleetSpec, parties: { byName(name: string): { index: number } }): FleetParties {
  return {
    suppliers: spec.suppliers.map((s) => parties.byName(s.name).index),
    networkOperators: spec.networkOperators.map((n) => parties.byName(n.name).index),
    acb: ACB_PARTY,
  };
}

/**
 * The fleet of `spec.meters` meters, with meters [lo, hi) built (default: all). A segment builds
 * only its own: the others stay zero, and their pages of the shared buffers are never touched.
 */
export function buildFleet(
  spec: FleetSpec,
  seed: string,
  parties: FleetParties,
  range: { lo: number; hi: number } = { lo: 0, hi: spec.meters },
): FleetState {
  const fleet = allocateFleet(spec.meters);
  fillFleet(fleet, spec, seed, parties, range);
  return fleet;
}

/**
 * Builds meters [lo, hi) into `fleet`, whose other meters are left as they are: disjoint ranges
 * can be built by different threads into the same shared buffers, in any order, with the result
 * of one `buildFleet`.
 */
export function fillFleet(
  fleet: FleetState,
  spec: FleetSpec,
  seed: string,
  parties: FleetParties,
  range: { lo: number; hi: number },
): void {
  if (fleet.meters !== spec.meters) {
    throw new InvalidArgumentError(`the fleet holds ${fleet.meters} meters, the spec ${spec.meters}`);
  }
  if (!(Number.isInteger(range.lo) && Number.isInteger(range.hi) && range.lo >= 0 && range.lo <= range.hi)) {
    throw new InvalidArgumentError(`meters [${range.lo}, ${range.hi}) are not a range`);
  }
  if (range.hi > fleet.meters) {
    throw new InvalidArgumentError(`meters [${range.lo}, ${range.hi}) are not all in a fleet of ${fleet.meters}`);
  }
  const c = fleet.columns;
  const key = seedKey(seed);
  const draw = (meter: number, which: number) => meterRandom(key, MeterStream.FleetBuild, meter, which);
  const supplierCdf = cumulative(spec.suppliers.map((s) => s.share));
  const networkCdf = cumulative(spec.networkOperators.map((n) => n.share));
  const prepaymentShares = spec.suppliers.map((s) => s.prepaymentShare ?? spec.paymentMode.prepayment);
  const p = spec.prepayment;
  for (let m = range.lo; m < range.hi; m++) {
    const fuel = draw(m, Draw.Fuel) < spec.fuel.electricity ? Fuel.Electricity : Fuel.Gas;
    const supplierIndex = pick(supplierCdf, draw(m, Draw.Supplier));
    const prepayment = draw(m, Draw.Payment) < (prepaymentShares[supplierIndex] as number);
    const w = draw(m, Draw.Wan);
    c.fuel[m] = fuel;
    c.paymentMode[m] = prepayment ? PaymentMode.Prepayment : PaymentMode.Credit;
    c.wanClass[m] =
      w < spec.wan.good
        ? WanClass.Good
        : w < spec.wan.good + spec.wan.intermittent
          ? WanClass.Intermittent
          : WanClass.None;
    c.flags[m] = draw(m, Draw.Vulnerable) < spec.vulnerableShare ? FleetFlag.Vulnerable : 0;
    c.supplyState[m] = SupplyState.On;
    if (draw(m, Draw.Schedule) < spec.meterSchedules.share) {
      c.scheduleAlertsPerDay[m] = spec.meterSchedules.alertsPerDay;
      c.scheduleReadsPerDay[m] = spec.meterSchedules.readsPerDay;
    }
    const supplier = parties.suppliers[supplierIndex] as number;
    const network = parties.networkOperators[pick(networkCdf, draw(m, Draw.Network))] as number;
    c.registeredSupplier[m] = supplier;
    c.supplierCell[m] = supplier;
    c.networkOperator[m] = network;
    c.networkOperatorCell[m] = network;
    c.acbCell[m] = parties.acb;
    // Its mean consumption is not stored: meter-consumption.ts computes it where it is used.
    if (prepayment) {
      const pounds =
        p.initialCreditPounds.min + (p.initialCreditPounds.max - p.initialCreditPounds.min) * draw(m, Draw.Credit);
      c.creditCp[m] = Math.round(pounds * CENTIPENCE_PER_POUND);
      c.emergencyCreditLimitCp[m] = Math.round(p.emergencyCreditPounds * CENTIPENCE_PER_POUND);
      c.calendar[m] = draw(m, Draw.Calendar) < p.friendlyHoursShare ? Calendar.FriendlyHours : Calendar.None;
    }
  }
}

function cumulative(shares: number[]): Float64Array {
  const out = new Float64Array(shares.length);
  let sum = 0;
  shares.forEach((s, i) => {
    sum += s;
    out[i] = sum;
  });
  return out;
}

/** Index of the first cumulative share above `u` (the last one if rounding leaves a gap). */
function pick(cdf: Float64Array, u: number): number {
  for (let i = 0; i < cdf.length; i++) if (u < (cdf[i] as number)) return i;
  return cdf.length - 1;
}
