/**
 * What the SRP and the SoLR send each step, shard by shard, each within its shard's share of the
 * hourly rate (ShardQuota): the SRP's make-safe actions (round-robin over the shard's customers,
 * one action per meter at a time), the SoLR's changes of supplier (SR 6.23 to every customer once,
 * then the lost ones again), and its careful reverts (a goodwill top-up first when a revert would
 * leave the meter's credit below its new disablement point).
 */
import { CENTIPENCE_PER_POUND, type RunContext, WanClass } from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { actionCommand, type MakeSafeAction } from './make-safe.js';
import { type Customer, Phase, type ShardQueue, type SolrState } from './solr-state.js';

/** The DCC's ACB sends SR 6.23 on the SoLR's behalf. */
export const ACB = 0;

export function sendMakeSafe(state: SolrState, run: RunContext): void {
  for (const queue of state.queues) {
    makeSafeInShard(state, run, queue, state.quotas.srp.at(queue.shard, run.step - state.srpStartStep));
  }
}

/** Round-robin from where the SRP left off in this shard: first action to every meter, then the next. */
function makeSafeInShard(state: SolrState, run: RunContext, queue: ShardQueue, allowance: number): void {
  const { config, customers } = state;
  const c = run.fleet.columns;
  const size = queue.end - queue.first;
  let budget = allowance;
  for (let scanned = 0; scanned < size && budget > 0; scanned++) {
    const x = customers[queue.srpNext] as Customer;
    queue.srpNext = queue.srpNext + 1 === queue.end ? queue.first : queue.srpNext + 1;
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

/**
 * SR 6.23 to each customer of the shard in meter order, then the lost ones again, all within the
 * shard's allowance. First sends come first so that the programme's end is known in advance
 * (revocation-plan.ts): a lost one waits until every customer of its shard has had its first.
 */
export function sendChangesOfSupplier(state: SolrState, run: RunContext): void {
  const { customers, solr } = state;
  const send = (x: Customer) =>
    run.send({ sender: ACB, meter: x.meter, kind: ServiceRequest.UpdateSecurityCredentials, argument: solr });
  for (const queue of state.queues) {
    let budget = state.quotas.cos.at(queue.shard, run.step - state.cosStartStep);
    while (budget > 0 && queue.cosNext < queue.end) {
      send(customers[queue.cosNext++] as Customer);
      budget--;
    }
    const retries = Math.min(budget, queue.cosRetry.length);
    for (let i = 0; i < retries; i++) send(queue.cosRetry[i] as Customer);
    queue.cosRetry.splice(0, retries);
  }
}

export function sendReverts(state: SolrState, run: RunContext): void {
  for (const queue of state.queues) {
    revertInShard(state, run, queue, state.quotas.reverts.at(queue.shard, run.step - state.cosStartStep));
  }
}

/** Each step, the shard's customers from its first: the next revert step of each one not waiting. */
function revertInShard(state: SolrState, run: RunContext, queue: ShardQueue, allowance: number): void {
  const { config, solr } = state;
  const c = run.fleet.columns;
  let budget = allowance;
  for (let i = queue.first; i < queue.end && budget > 0; i++) {
    const x = state.customers[i] as Customer;
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
