/**
 * Views of the fleet for the run's records and summary: the initial snapshot the `meters` table
 * holds (money rounded to pence) and a count of meters off supply.
 */

import type { MeterSnapshot } from '../run/run-records.js';
import { DEVICE_EUI_BASE } from './device-eui.js';
import { CENTIPENCE_PER_PENNY, FleetFlag, type FleetState, SupplyState } from './fleet-state.js';
import { type ConsumptionSpec, meterMeanKwhPerDay } from './meter-consumption.js';

/**
 * The `meters` rows of meters [lo, hi) (default: all of them). Their mean consumption is computed
 * from `key` (seedKey of the run's seed) and the fleet's consumption spec.
 */
export function snapshotOf(
  fleet: FleetState,
  consumption: { key: number; spec: ConsumptionSpec },
  range = { lo: 0, hi: fleet.meters },
): MeterSnapshot {
  const c = fleet.columns;
  const { lo, hi } = range;
  const n = hi - lo;
  const eui = new BigUint64Array(n);
  const meanKwhPerDay = new Float32Array(n);
  const vulnerable = new Uint8Array(n);
  const credit = new Int32Array(n);
  const ec = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const m = lo + i;
    eui[i] = DEVICE_EUI_BASE + BigInt(m);
    vulnerable[i] = (c.flags[m] as number) & FleetFlag.Vulnerable ? 1 : 0;
    credit[i] = Math.round((c.creditCp[m] as number) / CENTIPENCE_PER_PENNY);
    ec[i] = Math.round((c.emergencyCreditLimitCp[m] as number) / CENTIPENCE_PER_PENNY);
    meanKwhPerDay[i] = meterMeanKwhPerDay(consumption.key, consumption.spec, c.fuel[m] as number, m);
  }
  return {
    length: n,
    firstMeterId: lo,
    eui,
    fuel: c.fuel.slice(lo, hi),
    paymentMode: c.paymentMode.slice(lo, hi),
    supplier: Uint16Array.from(c.registeredSupplier.subarray(lo, hi)),
    networkOperator: Uint16Array.from(c.networkOperator.subarray(lo, hi)),
    wanClass: c.wanClass.slice(lo, hi),
    vulnerable,
    creditPence: credit,
    emergencyCreditLimitPence: ec,
    meanKwhPerDay,
  };
}

/** Meters of [lo, hi) (default: all) whose supply is disabled. */
export function countOffSupply(
  fleet: FleetState,
  vulnerableOnly: boolean,
  range = { lo: 0, hi: fleet.meters },
): number {
  const c = fleet.columns;
  let n = 0;
  for (let m = range.lo; m < range.hi; m++) {
    if (c.supplyState[m] !== SupplyState.Disabled) continue;
    if (vulnerableOnly && ((c.flags[m] as number) & FleetFlag.Vulnerable) === 0) continue;
    n++;
  }
  return n;
}
