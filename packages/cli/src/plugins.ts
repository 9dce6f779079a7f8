/**
 * The scenario packages the CLI composes (`cli → scenario-* → core`). A new scenario package
 * adds its export here and nothing else changes.
 */
import type { ScenarioPackage, ScenarioPlugin, ScenarioSpec } from '@gbfleet/core';
import { cosScenario } from '@gbfleet/scenario-cos';
import { gnoScenario } from '@gbfleet/scenario-gno';
import { hostileScenario } from '@gbfleet/scenario-hostile';
import { solrScenario } from '@gbfleet/scenario-solr';
import { utrnScenario } from '@gbfleet/scenario-utrn';

export const SCENARIO_PACKAGES: readonly ScenarioPackage[] = [
  solrScenario,
  utrnScenario,
  cosScenario,
  gnoScenario,
  hostileScenario,
];

/** Timeline event type → the package that handles it (for scenario validation). */
export function pluginEventTypes(packages: readonly ScenarioPackage[] = SCENARIO_PACKAGES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pkg of packages) for (const type of pkg.eventTypes ?? []) out[type] = pkg.name;
  return out;
}

/** Names of the `plugins:` sections a scenario file may hold. */
export function pluginSections(packages: readonly ScenarioPackage[] = SCENARIO_PACKAGES): string[] {
  return packages.filter((p) => p.hasSection).map((p) => p.name);
}

/** Fresh plug-ins for one run (each validates its own section; throws ScenarioError). */
export function createPlugins(
  spec: ScenarioSpec,
  packages: readonly ScenarioPackage[] = SCENARIO_PACKAGES,
): ScenarioPlugin[] {
  return packages.map((pkg) => pkg.create(spec));
}
