/**
 * Errors of @gbfleet/scenario-solr. A bad `plugins.solr` section is a core `ScenarioError`
 * (GBF_SCENARIO, thrown before anything runs); what can only be known once the run's parties
 * exist — a failing supplier the plug-in was made for that is not one of them — is a
 * `SolrPlanError`. Match on `code`, never on `instanceof`.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** The SoLR takeover cannot be set up on this run. Code `GBF_SOLR_PLAN`. */
export class SolrPlanError extends GbfleetError {
  constructor(message: string) {
    super('GBF_SOLR_PLAN', message);
    this.name = 'SolrPlanError';
  }
}
