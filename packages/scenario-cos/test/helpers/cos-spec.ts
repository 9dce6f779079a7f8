/**
 * Complete ScenarioSpecs for the CoS tests: `calibrationSpec` is scenarios/cos-dp072-calibration.yaml
 * as the validator turns it into a spec (the CLI test runs the file itself), and `marketSpec` is a
 * small mixed fleet (prepayment, intermittent and missing WAN) for the behaviours around it.
 */
import { type AlertPolicy, parseScenario, type ScenarioSpec, type SupplierSpec } from '@gbfleet/core';

/** A credit-only fleet on a good WAN with every other setting at the schema's default. */
function baseSpec(): ScenarioSpec {
  return parseScenario(
    {
      name: 'cos-test',
      seed: '72',
      start: '2018-12-03T00:00:00Z',
      days: 84,
      fleet: {
        meters: 1046,
        fuel: { electricity: 1, gas: 0 },
        paymentMode: { prepayment: 0, credit: 1 },
        wan: { good: 1, intermittent: 0, none: 0 },
        suppliers: [
          { name: 'Losing Energy', share: 1 },
          { name: 'Gaining Energy', share: 0 },
        ],
      },
    },
    { pluginSections: ['cos'] },
  );
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
    { ...(spec.fleet.suppliers[0] as SupplierSpec), name: 'Aurora Energy', share: 0.5 },
    { ...(spec.fleet.suppliers[0] as SupplierSpec), name: 'Beacon Power', share: 0.3 },
    { ...(spec.fleet.suppliers[0] as SupplierSpec), name: 'Cobalt Supply', share: 0.2 },
  ];
  spec.plugins.cos = cos;
  return spec;
}

/**
 * scenarios/cos-at-scale.yaml as the validator turns it into a spec (the file written out as JSON:
 * this package cannot read YAML), at `meters` and `days` — its batches are shares, so it scales.
 */
export function atScaleSpec(options: { meters: number; days: number }): ScenarioSpec {
  const supplier = (name: string, share: number, srp: boolean) => ({
    name,
    share,
    srp,
    unitPencePerKwh: 27,
    standingChargePencePerDay: 53,
    creditCoverPence: 5000000,
    dccChargePencePerMeterMonth: 30,
  });
  return parseScenario(
    {
      name: 'cos-at-scale',
      seed: '1',
      start: '2026-01-05T00:00:00Z',
      days: options.days,
      stepMinutes: 60,
      fleet: {
        meters: options.meters,
        fuel: { electricity: 0.55, gas: 0.45 },
        paymentMode: { prepayment: 0.15, credit: 0.85 },
        wan: { good: 0.88, intermittent: 0.03, none: 0.09 },
        vulnerableShare: 0.12,
        meterSchedules: { share: 0, alertsPerDay: 3, readsPerDay: 1 },
        suppliers: [
          supplier('Aurora Energy', 0.45, false),
          supplier('Beacon Power', 0.35, true),
          supplier('Cobalt Supply', 0.2, true),
        ],
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
        adt: { periodHours: 24, thresholdPerParty: 100000, releaseAfterHours: 24 },
        wan: { intermittentDelayShare: 0.3, intermittentDelayHours: 6, intermittentLossShare: 0.05 },
      },
      events: [],
      plugins: {
        cos: {
          batches: [
            { day: 0, hour: 0, overDays: 30, from: 'Aurora Energy', to: 'Beacon Power', share: 1 },
            { day: 0, hour: 0, overDays: 30, from: 'Beacon Power', to: 'Cobalt Supply', share: 1 },
            { day: 0, hour: 0, overDays: 30, from: 'Cobalt Supply', to: 'Aurora Energy', share: 1 },
          ],
          sr623: [
            { share: 0.985, send: 'on-time' },
            { share: 0.005, send: 'late', reason: 'immature-process', delayDays: { mean: 7 } },
            { share: 0.004, send: 'never', reason: 'not-registered' },
            { share: 0.004, send: 'never', reason: 'immature-process' },
            { share: 0.002, send: 'never', reason: 'erroneous-transfer', returnDays: { min: 14, max: 28 } },
          ],
          sr623Retry: { afterHours: 24, max: 3 },
          meterSchedules: { alertsPerDay: 3, readsPerDay: 1 },
          losingSupplier: { commandShare: 0.01, delayDays: { min: 0, max: 14 } },
          perDayFigures: true,
        },
      },
    },
    { pluginSections: ['cos'] },
  );
}
