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
