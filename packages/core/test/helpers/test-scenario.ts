/** A complete ScenarioSpec for engine tests (the schema's defaults, small and short). */
import type { ScenarioSpec } from '../../src/scenario/scenario-spec.js';

export function testScenario(overrides: { meters?: number; days?: number; seed?: string } = {}): ScenarioSpec {
  return {
    name: 'engine-test',
    description: '',
    seed: overrides.seed ?? '7',
    start: '2026-01-05T00:00:00Z',
    days: overrides.days ?? 3,
    stepMinutes: 60,
    fleet: {
      meters: overrides.meters ?? 3000,
      fuel: { electricity: 0.55, gas: 0.45 },
      paymentMode: { prepayment: 0.5, credit: 0.5 },
      wan: { good: 0.8, intermittent: 0.1, none: 0.1 },
      vulnerableShare: 0.12,
      meterSchedules: { share: 0, alertsPerDay: 3, readsPerDay: 1 },
      suppliers: [
        supplier('Aurora Energy', 0.5, false),
        supplier('Beacon Power', 0.3, true),
        supplier('Cobalt Supply', 0.2, true),
      ],
      networkOperators: [
        { name: 'Northern Networks', share: 0.5 },
        { name: 'Southern Grid', share: 0.5 },
      ],
      consumption: { meanKwhPerDay: 8, spread: 0.5 },
      prepayment: {
        initialCreditPounds: { min: 0, max: 8 },
        emergencyCreditPounds: 2,
        lowCreditPounds: 5,
        friendlyHours: { from: 16, to: 8 },
        friendlyHoursShare: 0.5,
      },
      topUp: { thresholdPounds: 3, probabilityPerHour: 0.1, amountPounds: { min: 10, max: 30 } },
    },
    dcc: {
      alertPolicy: 'none',
      adt: { periodHours: 24, thresholdPerParty: 100_000, releaseAfterHours: 24 },
      wan: { intermittentDelayShare: 0.3, intermittentDelayHours: 6, intermittentLossShare: 0.05 },
    },
    events: [
      { day: 1, hour: 6, type: 'weather-surge', params: { multiplier: 1.8, hours: 24 } },
      { day: 2, hour: 0, type: 'dcc-outage', params: { hours: 4 } },
    ],
    plugins: {},
  };
}

function supplier(name: string, share: number, srp: boolean) {
  return {
    name,
    share,
    srp,
    unitPencePerKwh: 27,
    standingChargePencePerDay: 53,
    creditCoverPence: 5_000_000,
    dccChargePencePerMeterMonth: 30,
    prepaymentShare: null,
  };
}
