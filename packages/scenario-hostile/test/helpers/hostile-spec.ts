/**
 * Scenario specs for this package's tests: the shipped scenarios/hostile-party.yaml, parsed by
 * the core's own parser as `gbfleet run` does (optionally resized), and its value for tests that
 * break the `plugins.hostile` section on purpose.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, type ScenarioSpec } from '@gbfleet/core';
import { parse } from 'yaml';

export const SHIPPED = resolve(import.meta.dirname, '../../../../scenarios/hostile-party.yaml');
export const PARSE_OPTIONS = { pluginEventTypes: {}, pluginSections: ['hostile'] };

/** The shipped file's value, as parsed (a fresh copy each call). */
export type ScenarioValue = Record<string, unknown> & {
  fleet: Record<string, unknown>;
  plugins: Record<string, unknown> & { hostile: Record<string, unknown> };
};

export function shippedValue(): ScenarioValue {
  return parse(readFileSync(SHIPPED, 'utf8'));
}

export function hostileSpec(o: { meters?: number; shardMeters?: number; section?: unknown } = {}): ScenarioSpec {
  const value = shippedValue();
  if (o.meters !== undefined) value.fleet.meters = o.meters;
  if (o.shardMeters !== undefined) value.fleet.shardMeters = o.shardMeters;
  if (o.section !== undefined) (value.plugins as Record<string, unknown>).hostile = o.section;
  return parseScenario(value, PARSE_OPTIONS);
}
