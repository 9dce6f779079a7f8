/**
 * Views of the fleet for the run's records and summary: the initial snapshot the `meters` table
 * holds (money rounded to pence) and a count of meters off supply.
 */

import type { MeterSnapshot } from '../run/run-records.js';
import { DEVICE_EUI_BASE } from './device-eui.js';
import { CENTIPENCE_PER_PENNY, FleetFlag, type FleetState, SupplyState } from './fleet-state.js';

export function snapshotOf(fleet: FleetState): MeterSnapshot {
  const c = fleet.columns;
  const n = fleet.meters;
  const eui = new BigUint64Array(n);
  const vulnerable = new Uint8Array(n);
  const credit = new Int32Array(n);
  const ec = new Int32Array(n);
  for (let m = 0; m < n; m++) {
    eui[m] = DEVICE_EUI_BASE + BigInt(m);
    vulnerable[m] = (c.flags[m] as number) & FleetFlag.Vulnerable ? 1 : 0;
    credit[m] = Math.round((c.creditCp[m] as number) / CENTIPENCE_PER_PENNY);
    ec[m] = Math.round((c.emergencyCreditLimitCp[m] as number) / CENTIPENCE_PER_PENNY);
  }
  return {
    length: n,
    eui,
    fuel: c.fuel.slice(),
    paymentMode: c.paymentMode.slice(),
    supplier: c.registeredSupplier.slice(),
    networkOperator: c.networkOperator.slice(),
    wanClass: c.wanClass.slice(),
    vulnerable,
    creditPence: credit,
    emergencyCreditLimitPence: ec,
    meanKwhPerDay: c.meanKwhPerDay.slice(),
  };
}

export function countOffSupply(fleet: FleetState, vulnerableOnly: boolean): number {
  const c = fleet.columns;
  let n = 0;
  for (let m = 0; m < fleet.meters; m++) {
    if (c.supplyState[m] !== SupplyState.Disabled) continue;
    if (vulnerableOnly && ((c.flags[m] as number) & FleetFlag.Vulnerable) === 0) continue;
    n++;
  }
  return n;
}
