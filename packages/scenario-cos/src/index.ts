/**
 * @gbfleet/scenario-cos: Change of Supplier without SR 6.23 — leaked alerts and readings (DP072).
 * A scenario that has a `plugins.cos` section gets CoS batches, gaining suppliers that send SR 6.23
 * on time, late or never, and figures for what leaks to the losing supplier. Docs: docs/scenario-cos.md.
 */
import type { ScenarioPackage } from '@gbfleet/core';
import { parseCosConfig } from './cos-config.js';
import { createCosPlugin } from './cos-plugin.js';

export type { CosBatch, CosConfig, MissingReason, Sr623Outcome, Sr623Send } from './cos-config.js';
export { MISSING_REASONS, parseCosConfig, SR623_SENDS } from './cos-config.js';
export { FIGURE } from './cos-figures.js';
export type { DelayDistribution } from './delay-distribution.js';
export { CosPlanError } from './errors.js';

export const cosScenario: ScenarioPackage = {
  name: 'cos',
  hasSection: true,
  create(spec) {
    const config = parseCosConfig(spec);
    // Without a section the plug-in does nothing and has no state: a run with it can be checkpointed.
    return config === null ? { name: 'cos', checkpoint: () => undefined, restore() {} } : createCosPlugin(config);
  },
};
