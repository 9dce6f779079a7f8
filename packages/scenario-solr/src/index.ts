/** @gbfleet/scenario-solr: Supplier of Last Resort: make-safe, vending, delayed revocation, re-credentialing (MP134A). */
import type { ScenarioPackage } from '@gbfleet/core';

export const solrScenario: ScenarioPackage = {
  name: 'solr',
  create: () => ({ name: 'solr' }),
};
