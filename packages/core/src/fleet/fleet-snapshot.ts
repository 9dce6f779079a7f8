/**
 * Views of the fleet for the run's records and summary: the initial snapshot the `meters` table
 * holds (money rounded to pence), made whole or range by range, and a count of meters off supply.
 */

import { InvalidArgumentError } from '@gbfleet/gbcs';
import type { MeterSnapshot } from '../run/run-records.js';
import { DEVICE_EUI_BASE } from './device-eui.js';
import { CENTIPENCE_PER_PENNY, FleetFlag, type FleetState, SupplyState } from './fleet-state.js';
import { type ConsumptionSpec, meterMeanKwhPerDay } from './meter-consumption.js';

/** How each meter's mean consumption is computed: `key` = seedKey of the run's seed. */
export interface SnapshotConsumption {
  key: number;
  spec: ConsumptionSpec;
}

/** The `meters` rows of meters [lo, hi) (default: all of them). */
export function snapshotOf(
  fleet: FleetState,
  consumption: SnapshotConsumption,
  range = { lo: 0, hi: fleet.meters },
): MeterSnapshot {
  const snapshot = emptySnapshot(range, (bytes) => new ArrayBuffer(bytes));
  fillSnapshot(snapshot, fleet, consumption, range);
  return snapshot;
}

/**
 * The `meters` rows of meters [lo, hi), all zero, over shared memory: a worker fills them
 * (`fillSnapshot`) as it builds the range, and they cross back to the main thread uncopied.
 */
export function sharedSnapshot(range: { lo: number; hi: number }): MeterSnapshot {
  return emptySnapshot(range, (bytes) => new SharedArrayBuffer(bytes));
}

/** Rows of meters [lo, hi) of `snapshot` (which starts at its firstMeterId), from the fleet as it is now. */
export function fillSnapshot(
  snapshot: MeterSnapshot,
  fleet: FleetState,
  consumption: SnapshotConsumption,
  range: { lo: number; hi: number },
): void {
  const first = snapshot.firstMeterId ?? 0;
  const { lo, hi } = range;
  if (!(lo >= first && lo <= hi && hi - first <= snapshot.length && hi <= fleet.meters)) {
    throw new InvalidArgumentError(
      `meters [${lo}, ${hi}) are not all in the snapshot of meters [${first}, ${first + snapshot.length})`,
    );
  }
  const c = fleet.columns;
  const s = snapshot;
  for (let m = lo; m < hi; m++) {
    const i = m - first;
    s.eui[i] = DEVICE_EUI_BASE + BigInt(m);
    s.vulnerable[i] = (c.flags[m] as number) & FleetFlag.Vulnerable ? 1 : 0;
    s.creditPence[i] = Math.round((c.creditCp[m] as number) / CENTIPENCE_PER_PENNY);
    s.emergencyCreditLimitPence[i] = Math.round((c.emergencyCreditLimitCp[m] as number) / CENTIPENCE_PER_PENNY);
    s.meanKwhPerDay[i] = meterMeanKwhPerDay(consumption.key, consumption.spec, c.fuel[m] as number, m);
    s.supplier[i] = c.registeredSupplier[m] as number;
    s.networkOperator[i] = c.networkOperator[m] as number;
  }
  const at = lo - first;
  s.fuel.set(c.fuel.subarray(lo, hi), at);
  s.paymentMode.set(c.paymentMode.subarray(lo, hi), at);
  s.wanClass.set(c.wanClass.subarray(lo, hi), at);
}

function emptySnapshot(range: { lo: number; hi: number }, memory: (bytes: number) => ArrayBufferLike): MeterSnapshot {
  const n = range.hi - range.lo;
  return {
    length: n,
    firstMeterId: range.lo,
    eui: new BigUint64Array(memory(n * 8)),
    fuel: new Uint8Array(memory(n)),
    paymentMode: new Uint8Array(memory(n)),
    supplier: new Uint16Array(memory(n * 2)),
    networkOperator: new Uint16Array(memory(n * 2)),
    wanClass: new Uint8Array(memory(n)),
    vulnerable: new Uint8Array(memory(n)),
    creditPence: new Int32Array(memory(n * 4)),
    emergencyCreditLimitPence: new Int32Array(memory(n * 4)),
    meanKwhPerDay: new Float32Array(memory(n * 4)),
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
