/**
 * Complete ScenarioSpecs for the CoS tests: `calibrationSpec` is scenarios/cos-dp072-calibration.yaml
 * as the validator turns it into a spec (the CLI test runs the file itself), and `marketSpec` is a
 * small mixed fleet (prepayment, intermittent and missing WAN) for the behaviours around it.
 */
import type { AlertPolicy, ScenarioSpec, SupplierSpec } from '@gbfleet/core';

export function supplier(name: string, share: number): SupplierSpec {
  return {
    name,
    share,
    srp: false,
    unitPencePerKwh: 27,
    standingChargePencePerDay: 53,
    creditCoverPence: 5_000_000,
    dccChargePencePerMeterMonth: 30,
    prepaymentShare: null,
  };
}

function baseSpec(): ScenarioSpec {
  return {
    name: 'cos-test',
    description: '',
    seed: '72',
    start: '2018-12-03T00:00:00Z',
    days: 84,
    stepMinutes: 60,
    fleet: {
      meters: 1046,
      fuel: { electricity: 1, gas: 0 },
      paymentMode: { prepayment: 0, credit: 1 },
      wan: { good: 1, intermittent: 0, none: 0 },
      vulnerableShare: 0.12,
      meterSchedules: { share: 0, alertsPerDay: 3, readsPerDay: 1 },
      suppliers: [supplier('Losing Energy', 1), supplier('Gaining Energy', 0)],
      networkOperators: [
        { name: 'Northern Networks', share: 0.5 },
        { name: 'Southern Grid', share: 0.5 },
      ],
      consumption: { meanKwhPerDay: 8, spread: 0.5 },
      prepayment: {
        initialCreditPounds: { min: 2, max: 30 },
        emergencyCreditPounds: 10,
        lowCreditPounds: 5,
        friendlyHours: { from: 16, to: 8 },
        friendlyHoursShare: 1,
      },
      topUp: { thresholdPounds: 5, probabilityPerHour: 0.08, amountPounds: { min: 10, max: 30 } },
    },
    dcc: {
      alertPolicy: 'none',
      adt: { periodHours: 24, thresholdPerParty: 100_000, releaseAfterHours: 24 },
      wan: { intermittentDelayShare: 0.3, intermittentDelayHours: 6, intermittentLossShare: 0.05 },
    },
    events: [],
    plugins: {},
  };
}

/** DP072 scaled: 1,046 meters, SR 6.23 exactly 78 days late, 3 alerts a day with 1 reading. */
export function calibrationSpec(options: { alertPolicy?: AlertPolicy; stepMinutes?: number } = {}): ScenarioSpec {
  const spec = baseSpec();
  spec.name = 'cos-dp072-calibration';
  spec.stepMinutes = options.stepMinutes ?? 60;
  spec.dcc.alertPolicy = options.alertPolicy ?? 'none';
  spec.plugins.cos = {
    batches: [{ day: 0, hour: 0, overDays: 1, from: 'Losing Energy', to: 'Gaining Energy', meters: 1046 }],
    sr623: [{ share: 1, send: 'late', reason: 'immature-process', delayDays: 78 }],
    sr623Retry: { afterHours: 24, max: 3 },
    meterSchedules: { alertsPerDay: 3, readsPerDay: 1 },
    losingSupplier: { commandShare: 0.01, delayDays: { min: 0, max: 14 } },
    perDayFigures: true,
  };
  return spec;
}

/** A small market: three suppliers, some prepayment, every WAN class; `cos` is the plug-in section. */
export function marketSpec(
  cos: unknown,
  options: { meters?: number; days?: number; seed?: string } = {},
): ScenarioSpec {
  const spec = baseSpec();
  spec.name = 'cos-market';
  spec.seed = options.seed ?? '5';
  spec.start = '2026-01-05T00:00:00Z';
  spec.days = options.days ?? 6;
  spec.fleet.meters = options.meters ?? 3000;
  spec.fleet.fuel = { electricity: 0.55, gas: 0.45 };
  spec.fleet.paymentMode = { prepayment: 0.3, credit: 0.7 };
  spec.fleet.wan = { good: 0.8, intermittent: 0.1, none: 0.1 };
  spec.fleet.prepayment.initialCreditPounds = { min: 0, max: 6 };
  spec.fleet.prepayment.emergencyCreditPounds = 2;
  spec.fleet.suppliers = [
    supplier('Aurora Energy', 0.5),
    supplier('Beacon Power', 0.3),
    supplier('Cobalt Supply', 0.2),
  ];
  spec.plugins.cos = cos;
  return spec;
}
