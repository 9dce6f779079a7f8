/**
 * Errors of @gbfleet/scenario-gno. A bad `plugins.gno` section or `gno-leaves` / `gno-handover`
 * event is a core `ScenarioError` (GBF_SCENARIO, thrown before anything runs); what can only be
 * known once the run's parties exist — a GNO the configuration names that is not one of them — is
 * a `GnoPlanError`. Match on `code`, never on `instanceof`.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** The GNO's departure cannot be set up on this run. Code `GBF_GNO_PLAN`. */
export class GnoPlanError extends GbfleetError {
  constructor(message: string) {
    super('GBF_GNO_PLAN', message);
    this.name = 'GnoPlanError';
  }
}
