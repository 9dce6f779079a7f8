/**
 * Scenario specs for this package's tests, validated by the core's own parser (defaults filled
 * in, as `gbfleet run` does): an all-gas, all-credit fleet (no prepayment physics to wait for)
 * split between a departing GNO and the one that takes over.
 */
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';
import { gnoScenario } from '../../src/index.ts';

export const DEPARTING = 'National Gas Networks';
export const INCOMING = 'Cadent Gas';

export const PARSE_OPTIONS = {
  pluginEventTypes: Object.fromEntries((gnoScenario.eventTypes ?? []).map((t) => [t, 'gno'])),
  pluginSections: ['gno'],
};

export interface GnoSpecOptions {
  seed?: string;
  meters?: number;
  days?: number;
  wan?: { good: number; intermittent: number; none: number };
  leave?: Record<string, unknown>;
  handover?: Record<string, unknown> | null;
  section?: unknown;
  events?: unknown[];
  dcc?: Record<string, unknown>;
}

/** The file's value (before validation), for tests that break it on purpose. */
export function gnoScenarioValue(o: GnoSpecOptions = {}): Record<string, unknown> {
  const events = o.events ?? [
    { day: 0, hour: 1, type: 'gno-leaves', operator: DEPARTING, counterLeadHours: 4, ...o.leave },
    ...(o.handover === null ? [] : [{ day: 0, hour: 3, type: 'gno-handover', to: INCOMING, ...o.handover }]),
  ];
  return {
    name: 'gno test',
    seed: o.seed ?? '5',
    days: o.days ?? 1,
    fleet: {
      meters: o.meters ?? 600,
      fuel: { electricity: 0, gas: 1 },
      paymentMode: { prepayment: 0, credit: 1 },
      wan: o.wan ?? { good: 1, intermittent: 0, none: 0 },
      networkOperators: [
        { name: DEPARTING, share: 0.5 },
        { name: INCOMING, share: 0.5 },
      ],
    },
    events,
    ...(o.dcc === undefined ? {} : { dcc: o.dcc }),
    ...(o.section === undefined ? {} : { plugins: { gno: o.section } }),
  };
}

export function gnoSpec(o: GnoSpecOptions = {}): ScenarioSpec {
  return parseScenario(gnoScenarioValue(o), PARSE_OPTIONS);
}
