/**
 * DCC charges and credit cover per supplier and month (DP095). Each supplier owes a charge per
 * meter point per month: its `meterPoints` when the scenario gives them (a simulated fleet is a
 * sample of a national portfolio), else its registered meters at the end of the run. A party that
 * has failed pays nothing from the month it failed in; the DCC goes on charging it for
 * `unpaidMonths` months counting that one (until its meters have moved to the SoLR and it has
 * left the SEC) — or to the end of the run when the event gives none. The DCC draws the party's
 * lodged cover against what is unpaid, month by month, and the rest is socialised across the
 * parties that remain. Money is whole pence: each month's charge is rounded once.
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';
import type { FleetState } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import type { ChargeRow } from '../run/run-records.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';

/**
 * What the charges depend on besides the scenario: per supplier, its party, when it failed and
 * how many meters are registered to it at the end. A segment reports these for its own meters;
 * the merge adds the counts up and computes the charges of the whole run from them.
 */
export interface ChargeInputs {
  stepsRun: number;
  suppliers: Array<{ party: number; failedAtStep: number | null; registeredMeters: number }>;
}

/** The charge inputs of meters [lo, hi) at the end of a run. */
export function chargeInputsOf(
  parties: PartyTable,
  fleet: FleetState,
  supplierIdx: readonly number[],
  owned: { lo: number; hi: number },
  stepsRun: number,
): ChargeInputs {
  const metersOf = new Map<number, number>();
  const registered = fleet.columns.registeredSupplier;
  for (let m = owned.lo; m < owned.hi; m++) {
    const p = registered[m] as number;
    metersOf.set(p, (metersOf.get(p) ?? 0) + 1);
  }
  return {
    stepsRun,
    suppliers: supplierIdx.map((party) => ({
      party,
      failedAtStep: parties.at(party).failedAtStep,
      registeredMeters: metersOf.get(party) ?? 0,
    })),
  };
}

/** Charge inputs of segments added up: the same suppliers, failures and steps in each. */
export function sumChargeInputs(parts: readonly ChargeInputs[]): ChargeInputs {
  const [first, ...rest] = parts;
  if (!first) throw new InvalidArgumentError('no charge inputs to add up');
  const suppliers = first.suppliers.map((s) => ({ ...s }));
  for (const part of rest) {
    const same =
      part.stepsRun === first.stepsRun &&
      part.suppliers.length === suppliers.length &&
      part.suppliers.every((s, i) => s.party === suppliers[i]?.party && s.failedAtStep === suppliers[i]?.failedAtStep);
    if (!same) throw new InvalidArgumentError('the segments disagree on their suppliers, failures or steps run');
    part.suppliers.forEach((s, i) => {
      (suppliers[i] as (typeof suppliers)[number]).registeredMeters += s.registeredMeters;
    });
  }
  return { stepsRun: first.stepsRun, suppliers };
}

export function chargeRows(
  spec: ScenarioSpec,
  inputs: ChargeInputs,
  startMs: number,
  stepsPerDay: number,
): ChargeRow[] {
  const months = monthsCovered(startMs, inputs.stepsRun, stepsPerDay);
  const rows: ChargeRow[] = [];
  spec.fleet.suppliers.forEach((supplier, i) => {
    const party = inputs.suppliers[i] as ChargeInputs['suppliers'][number];
    const index = party.party;
    const points = supplier.meterPoints ?? party.registeredMeters;
    const monthly = Math.round(points * supplier.dccChargePencePerMeterMonth);
    const unpaidMonths = unpaidMonthsOf(spec, supplier.name, party.failedAtStep, stepsPerDay);
    let coverLeft = supplier.creditCoverPence;
    let monthsSinceFailure = 0;
    for (const month of months) {
      const failed = party.failedAtStep !== null && party.failedAtStep <= month.lastStep;
      // Once it has left (its unpaid months are over), the DCC charges it nothing more.
      const left = failed && unpaidMonths !== null && monthsSinceFailure >= unpaidMonths;
      const charges = left ? 0 : monthly;
      const paid = failed ? 0 : charges;
      const unpaid = charges - paid;
      const drawn = Math.min(unpaid, coverLeft);
      coverLeft -= drawn;
      if (failed) monthsSinceFailure++;
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

/**
 * `unpaidMonths` of the `supplier-fails` event that made the party fail (the one that fired at
 * its failure step), or null when it did not fail or the event gives none.
 */
function unpaidMonthsOf(
  spec: ScenarioSpec,
  supplier: string,
  failedAtStep: number | null,
  stepsPerDay: number,
): number | null {
  if (failedAtStep === null) return null;
  for (const event of spec.events) {
    if (event.type !== 'supplier-fails' || event.params.supplier !== supplier) continue;
    const step = event.day * stepsPerDay + Math.floor((event.hour * 60) / spec.stepMinutes);
    if (step !== failedAtStep) continue;
    const months = event.params.unpaidMonths;
    return typeof months === 'number' ? months : null;
  }
  return null;
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
