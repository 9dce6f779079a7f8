/**
 * Errors of @gbfleet/scenario-cos. A bad `plugins.cos` section is a core `ScenarioError`
 * (GBF_SCENARIO, thrown before anything runs); what can only be known once the fleet exists — a
 * batch asking for more meters than the losing supplier has, or a segment whose registrations at
 * setup are not the fleet as built — is a `CosPlanError`.
 * Match on `code`, never on `instanceof`.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** The CoS batches cannot be planned on this fleet. Code `GBF_COS_PLAN`. */
export class CosPlanError extends GbfleetError {
  constructor(message: string) {
    super('GBF_COS_PLAN', message);
    this.name = 'CosPlanError';
  }
}
