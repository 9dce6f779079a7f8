/** Small, complete scenarios for the UTRN plug-in's tests (through the core's own validation). */
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';
import { UTRN_EVENT_TYPES } from '../../src/index.ts';

export const PARSE_OPTIONS = {
  pluginEventTypes: Object.fromEntries(UTRN_EVENT_TYPES.map((t) => [t, 'utrn'])),
  pluginSections: ['utrn'],
};

export interface SmallUtrnOptions {
  meters?: number;
  days?: number;
  seed?: string;
  events?: unknown[];
  utrn?: Record<string, unknown>;
}

/** A prepayment fleet for 1–4 March 2018 with a surge on day 1; override what a test is about. */
export function smallUtrnSpec(options: SmallUtrnOptions = {}): ScenarioSpec {
  return parseScenario(
    {
      name: 'utrn-test',
      seed: options.seed ?? '94',
      start: '2018-03-01T00:00:00Z',
      days: options.days ?? 3,
      fleet: {
        meters: options.meters ?? 3000,
        paymentMode: { prepayment: 1, credit: 0 },
        wan: { good: 0.86, intermittent: 0.05, none: 0.09 },
        suppliers: [
          { name: 'Aurora Energy', share: 0.8 },
          { name: 'Beacon Power', share: 0.2 },
        ],
        prepayment: { initialCreditPounds: { min: 0, max: 8 }, emergencyCreditPounds: 5 },
      },
      dcc: { adt: { thresholdPerParty: 1_000_000 } },
      events: options.events ?? [
        { day: 0, hour: 0, type: 'weather-surge', multiplier: 1.5, hours: 72 },
        { day: 1, hour: 0, type: 'utrn-surge', supplier: 'Aurora Energy', messages: 6000, hours: 24 },
      ],
      plugins: { utrn: options.utrn ?? {} },
    },
    PARSE_OPTIONS,
  );
}
