/**
 * DCC charges and credit cover per supplier and month (DP095): each supplier owes a charge per
 * registered meter per month; a party that has failed pays nothing from the month it failed in;
 * the DCC draws its lodged cover against what is unpaid, and the rest is socialised across the
 * parties that remain.
 */
import type { FleetState } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import type { ChargeRow } from '../run/run-records.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';

export function chargeRows(
  spec: ScenarioSpec,
  parties: PartyTable,
  fleet: FleetState,
  supplierIdx: readonly number[],
  startMs: number,
  stepsRun: number,
  stepsPerDay: number,
): ChargeRow[] {
  const metersOf = new Map<number, number>();
  const registered = fleet.columns.registeredSupplier;
  for (let m = 0; m < fleet.meters; m++) {
    const p = registered[m] as number;
    metersOf.set(p, (metersOf.get(p) ?? 0) + 1);
  }
  const months = monthsCovered(startMs, stepsRun, stepsPerDay);
  const rows: ChargeRow[] = [];
  spec.fleet.suppliers.forEach((supplier, i) => {
    const index = supplierIdx[i] as number;
    const party = parties.at(index);
    let coverLeft = supplier.creditCoverPence;
    for (const month of months) {
      const charges = (metersOf.get(index) ?? 0) * supplier.dccChargePencePerMeterMonth;
      const failed = party.failedAtStep !== null && party.failedAtStep <= month.lastStep;
      const paid = failed ? 0 : charges;
      const unpaid = charges - paid;
      const drawn = Math.min(unpaid, coverLeft);
      coverLeft -= drawn;
      rows.push({
        party: index,
        month: month.label,
        chargesPence: charges,
        paidPence: paid,
        coverLodgedPence: supplier.creditCoverPence,
        coverDrawnPence: drawn,
        socialisedPence: unpaid - drawn,
      });
    }
  });
  return rows;
}

/** Calendar months touched by the run, each with the last step that falls in it. */
function monthsCovered(startMs: number, stepsRun: number, stepsPerDay: number) {
  const out: Array<{ label: string; lastStep: number }> = [];
  const msPerStep = 86_400_000 / stepsPerDay;
  for (let step = 0; step < Math.max(1, stepsRun); step++) {
    const d = new Date(startMs + step * msPerStep);
    const label = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
    const last = out[out.length - 1];
    if (last && last.label === label) last.lastStep = step;
    else out.push({ label, lastStep: step });
  }
  return out;
}
