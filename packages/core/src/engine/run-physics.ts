/**
 * The physics constants a run's workers hold (prices by party, thresholds, top-up behaviour and
 * the shape of a GB domestic day), made once from the scenario on the main thread.
 */
import { CENTIPENCE_PER_POUND } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import type { PhysicsInit } from '../worker-protocol.js';

export function physicsInit(spec: ScenarioSpec, parties: PartyTable, supplierIdx: number[], key: number): PhysicsInit {
  const unit = new Float64Array(parties.size);
  const standing = new Float64Array(parties.size);
  spec.fleet.suppliers.forEach((s, i) => {
    const party = supplierIdx[i] as number;
    unit[party] = s.unitPencePerKwh * 100;
    standing[party] = (s.standingChargePencePerDay * 100) / 24;
  });
  // Parties added later (a SoLR) charge the average tariff until a plug-in says otherwise.
  const meanUnit = spec.fleet.suppliers.reduce((a, s) => a + s.unitPencePerKwh * s.share, 0) * 100;
  const meanStanding = (spec.fleet.suppliers.reduce((a, s) => a + s.standingChargePencePerDay * s.share, 0) * 100) / 24;
  for (let p = 0; p < parties.size; p++) {
    if (!supplierIdx.includes(p)) {
      unit[p] = meanUnit;
      standing[p] = meanStanding;
    }
  }
  const p = spec.fleet.prepayment;
  const t = spec.fleet.topUp;
  return {
    seedKey: key,
    unitCpPerKwh: unit,
    standingCpPerHour: standing,
    lowCreditCp: Math.round(p.lowCreditPounds * CENTIPENCE_PER_POUND),
    topUpThresholdCp: Math.round(t.thresholdPounds * CENTIPENCE_PER_POUND),
    topUpProbabilityPerHour: t.probabilityPerHour,
    topUpMinPounds: t.amountPounds.min,
    topUpMaxPounds: t.amountPounds.max,
    friendlyFrom: p.friendlyHours.from,
    friendlyTo: p.friendlyHours.to,
    dailyProfile: DAILY_PROFILE,
    consumption: { meanKwhPerDay: spec.fleet.consumption.meanKwhPerDay, spread: spec.fleet.consumption.spread },
  };
}

/** A GB domestic day: low overnight, a morning bump and an evening peak (averages 1). */
const DAILY_PROFILE = normalise([
  0.55, 0.45, 0.4, 0.4, 0.42, 0.5, 0.8, 1.15, 1.2, 1.0, 0.95, 0.95, 1.0, 0.95, 0.95, 1.05, 1.3, 1.7, 1.85, 1.7, 1.5,
  1.3, 1.0, 0.75,
]);

function normalise(values: number[]): Float64Array {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Float64Array.from(values, (v) => v / mean);
}
