/**
 * What the SRP and the SoLR send each step, within their hourly rates: the SRP's make-safe
 * actions (round-robin, one action per meter at a time), the SoLR's changes of supplier (SR 6.23,
 * lost ones first), and its careful reverts (a goodwill top-up first when a revert would leave the
 * meter's credit below its new disablement point).
 */
import { CENTIPENCE_PER_POUND, type RunContext, WanClass } from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { actionCommand, type MakeSafeAction } from './make-safe.js';
import { type Customer, Phase, perStep, type SolrState } from './solr-state.js';

/** The DCC's ACB sends SR 6.23 on the SoLR's behalf. */
export const ACB = 0;

export function sendMakeSafe(state: SolrState, run: RunContext): void {
  const { config, customers } = state;
  let budget = perStep(state, config.srp.commandsPerHour);
  const c = run.fleet.columns;
  // Round-robin from where the SRP left off: first action to every meter, then the next.
  for (let scanned = 0; scanned < customers.length && budget > 0; scanned++) {
    const x = customers[state.srpQueue] as Customer;
    state.srpQueue = (state.srpQueue + 1) % customers.length;
    if (x.phase !== Phase.MakingSafe || x.waiting) continue;
    if (c.wanClass[x.meter] === WanClass.None) {
      x.phase = Phase.Unreachable;
      run.count('solr: make-safe impossible (no WAN)');
      continue;
    }
    const action = config.srp.strategy[x.next] as MakeSafeAction;
    run.send({ sender: state.failed, meter: x.meter, ...actionCommand(action, config.srp.emergencyCreditPounds) });
    x.waiting = true;
    budget--;
  }
}

export function sendChangesOfSupplier(state: SolrState, run: RunContext): void {
  const { customers, solr } = state;
  let budget = perStep(state, state.config.solr.cosPerHour);
  const retry = state.cosRetry;
  state.cosRetry = [];
  for (const slot of retry) {
    const x = customers[slot] as Customer;
    run.send({ sender: ACB, meter: x.meter, kind: ServiceRequest.UpdateSecurityCredentials, argument: solr });
    budget--;
  }
  while (budget > 0 && state.cosQueue < customers.length) {
    const x = customers[state.cosQueue++] as Customer;
    run.send({ sender: ACB, meter: x.meter, kind: ServiceRequest.UpdateSecurityCredentials, argument: solr });
    budget--;
  }
}

export function sendReverts(state: SolrState, run: RunContext): void {
  const { config, solr } = state;
  let budget = perStep(state, config.solr.revertsPerHour);
  const c = run.fleet.columns;
  for (const x of state.customers) {
    if (budget <= 0) break;
    if (x.phase !== Phase.Reverting || x.waiting) continue;
    const step = x.revertSteps[x.next];
    if (!step) {
      x.phase = Phase.Done;
      run.count('solr: meters reverted');
      continue;
    }
    const credit = c.creditCp[x.meter] as number;
    // Before a revert that shrinks the meter's safety net, make sure credit stays above it.
    if (
      step.needsCreditAbove !== null &&
      credit < step.needsCreditAbove + config.solr.revertCreditPounds * CENTIPENCE_PER_POUND
    ) {
      // Twice the margin, so an hour's use before the revert lands does not call for another.
      const pounds =
        Math.ceil((step.needsCreditAbove - credit) / CENTIPENCE_PER_POUND) + 2 * config.solr.revertCreditPounds;
      run.send({ sender: solr, meter: x.meter, kind: ServiceRequest.TopUp, argument: pounds * 100 });
      run.count('solr: goodwill top-ups before a revert');
      run.count('solr: goodwill credit, pounds', pounds);
    } else {
      run.send({ sender: solr, meter: x.meter, kind: step.kind, argument: step.argument });
      x.lastRevertStep = run.step;
    }
    x.waiting = true;
    budget--;
  }
}
