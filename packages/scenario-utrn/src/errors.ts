/**
 * Errors of @gbfleet/scenario-utrn. A bad `plugins.utrn` section or event is a core
 * `ScenarioError` (GBF_SCENARIO, thrown before anything runs); what can only be known once the
 * fleet exists — a surge with messages for meters the supplier does not have — is a
 * `UtrnPlanError`; an engine that lacks what the plug-in needs of `RunContext` (an older
 * @gbfleet/core) is a `UtrnEngineError`. Match on `code`, never on `instanceof`.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** The surge cannot be planned on this fleet. Code `GBF_UTRN_PLAN`. */
export class UtrnPlanError extends GbfleetError {
  constructor(message: string) {
    super('GBF_UTRN_PLAN', message);
    this.name = 'UtrnPlanError';
  }
}

/** The engine's RunContext lacks an optional hook the run needs (`dccOutage`). Code `GBF_UTRN_ENGINE`. */
export class UtrnEngineError extends GbfleetError {
  constructor(message: string) {
    super('GBF_UTRN_ENGINE', message);
    this.name = 'UtrnEngineError';
  }
}
