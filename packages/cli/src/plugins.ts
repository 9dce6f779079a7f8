/**
 * The scenario packages the CLI composes (`cli → scenario-* → core`). A new scenario package
 * adds its plug-in here and nothing else changes.
 */
import type { ScenarioPlugin } from '@gbfleet/core';

export const SCENARIO_PLUGINS: readonly ScenarioPlugin[] = [];

/** Timeline event type → the plug-in that handles it (for scenario validation). */
export function pluginEventTypes(plugins: readonly ScenarioPlugin[] = SCENARIO_PLUGINS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const plugin of plugins) for (const type of plugin.eventTypes ?? []) out[type] = plugin.name;
  return out;
}

/** Names of the `plugins:` sections a scenario file may hold. */
export function pluginSections(plugins: readonly ScenarioPlugin[] = SCENARIO_PLUGINS): string[] {
  return plugins.filter((p) => p.hasSection).map((p) => p.name);
}
