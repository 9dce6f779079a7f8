/**
 * Scenario specs for this package's tests, validated by the core's own parser (defaults filled
 * in, as `gbfleet run` does): an all-gas, all-credit fleet (no prepayment physics to wait for)
 * split between a departing GNO and the one that takes over.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';
import { parse } from 'yaml';
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

const SHIPPED = resolve(import.meta.dirname, '../../../../scenarios/gno-acb-handover.yaml');
/** The shipped file's GPFs at test size: five shards (four of 256, one of 226). */
export const SHIPPED_METERS = 1250;
const SHARD_METERS = 256;

/**
 * scenarios/gno-acb-handover.yaml at 1,250 GPFs: 4,000/h per million is 5/h, an ADT threshold of
 * 100,000 a day 125; `speedUp` multiplies both senders' rates, `days` trims the run.
 */
export function shippedSpec(o: { speedUp?: number; days?: number } = {}): ScenarioSpec {
  const value = parse(readFileSync(SHIPPED, 'utf8'));
  // Exact integers at this size: the parser refuses a fractional rate or threshold.
  const scaled = (x: number) => (x * SHIPPED_METERS) / value.fleet.meters;
  value.dcc.adt.thresholdPerParty = scaled(value.dcc.adt.thresholdPerParty);
  for (const sender of [value.plugins.gno.departingGno, value.plugins.gno.dsp]) {
    sender.commandsPerHour = scaled(sender.commandsPerHour) * (o.speedUp ?? 1);
  }
  value.fleet.meters = SHIPPED_METERS;
  value.fleet.shardMeters = SHARD_METERS;
  value.days = o.days ?? value.days;
  return parseScenario(value, PARSE_OPTIONS);
}
