/**
 * @gbfleet/scenario-solr: a supplier fails; its SRP makes prepayment meters safe with the failed
 * supplier's keys; the Authority appoints a Supplier of Last Resort, which re-credentials every
 * meter (SR 6.23) and reverts the make-safe actions without disabling supply (MP134A).
 */
import type { ScenarioPackage } from '@gbfleet/core';
import { parseSolrConfig } from './solr-config.js';
import { createSolrPlugin } from './solr-plugin.js';

export { SolrPlanError } from './errors.js';
export { actionCommand, type MakeSafeAction, type RevertStep, revertPlan } from './make-safe.js';
export { DEFAULT_CONFIG, parseSolrConfig, type SolrConfig, STRATEGIES } from './solr-config.js';

export const solrScenario: ScenarioPackage = {
  name: 'solr',
  hasSection: true,
  create(spec) {
    const config = parseSolrConfig(spec);
    // A scenario without a SoLR has no state to keep: its checkpoint is nothing.
    return config ? createSolrPlugin(spec, config) : { name: 'solr', checkpoint: () => undefined, restore() {} };
  },
};
