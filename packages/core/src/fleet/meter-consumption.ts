/**
 * A meter's own mean daily consumption. It is a pure function of (seed, meter) and the meter's
 * fuel, and no run changes it, so it is computed where it is used (the prepayment meters'
 * physics, the `meters` table) instead of being held: 4 bytes a meter saved, 32M × 4 = 128 MB in
 * a national fleet. It is rounded to float32, as the column that once held it was, so outcomes
 * are unchanged.
 */
import { MeterStream, meterRandom } from '../random/meter-random.js';
import { FleetDraw } from './fleet-draws.js';
import { Fuel } from './fleet-state.js';

export interface ConsumptionSpec {
  /** The fleet's mean, kWh a day. */
  meanKwhPerDay: number;
  /** Each meter's own mean is uniform within ± this share of the fleet's. */
  spread: number;
}

/** Gas meters use roughly three times the kWh of electricity meters in GB homes. */
export const GAS_CONSUMPTION_FACTOR = 3;

/** Meter `meter`'s mean kWh a day, for `key` = seedKey(seed). */
export function meterMeanKwhPerDay(key: number, consumption: ConsumptionSpec, fuel: number, meter: number): number {
  const spread = consumption.spread * (2 * meterRandom(key, MeterStream.FleetBuild, meter, FleetDraw.Consumption) - 1);
  return Math.fround(consumption.meanKwhPerDay * (1 + spread) * (fuel === Fuel.Gas ? GAS_CONSUMPTION_FACTOR : 1));
}
