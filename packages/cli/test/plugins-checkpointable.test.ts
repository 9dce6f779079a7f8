/**
 * Every plug-in the CLI composes can be checkpointed, for every shipped scenario, whether the
 * scenario uses its package or not: otherwise `gbfleet run` would quietly take no checkpoints.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCheckpointable } from '@gbfleet/core';
import { test } from 'uvu';
import { createPlugins, pluginEventTypes, pluginSections } from '../src/plugins.ts';
import { loadScenarioVariants } from '../src/scenario-file.ts';

const SCENARIOS = join(import.meta.dirname, '../../../scenarios');

test('every plug-in of every shipped scenario has checkpoint and restore', async () => {
  const options = { pluginEventTypes: pluginEventTypes(), pluginSections: pluginSections() };
  for (const file of readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'))) {
    const loaded = await loadScenarioVariants(join(SCENARIOS, file), options);
    for (const variant of loaded.variants) checkCheckpointable(createPlugins(variant.spec));
  }
});

test.run();
