/** A ScenarioSpec for engine tests: small and short, everything else the schema's defaults. */
import { parseScenario } from '../../src/scenario/scenario-schema.js';
import type { ScenarioSpec } from '../../src/scenario/scenario-spec.js';

export function testScenario(overrides: { meters?: number; days?: number; seed?: string } = {}): ScenarioSpec {
  const days = overrides.days ?? 3;
  const events = [
    { day: 1, hour: 6, type: 'weather-surge', multiplier: 1.8, hours: 24 },
    { day: 2, hour: 0, type: 'dcc-outage', hours: 4 },
  ];
  return parseScenario({
    name: 'engine-test',
    seed: overrides.seed ?? '7',
    days,
    fleet: {
      meters: overrides.meters ?? 3000,
      paymentMode: { prepayment: 0.5, credit: 0.5 },
      wan: { good: 0.8, intermittent: 0.1, none: 0.1 },
      suppliers: [
        { name: 'Aurora Energy', share: 0.5, srp: false },
        { name: 'Beacon Power', share: 0.3, srp: true },
        { name: 'Cobalt Supply', share: 0.2, srp: true },
      ],
      prepayment: { initialCreditPounds: { min: 0, max: 8 }, emergencyCreditPounds: 2, friendlyHoursShare: 0.5 },
      topUp: { thresholdPounds: 3, probabilityPerHour: 0.1 },
    },
    // A shorter run keeps the events that fall inside it.
    events: events.filter((e) => e.day < days),
  });
}
