/**
 * What the SoLR plug-in learns from each step's records: the outcome of every command it sent
 * (a change of supplier, a make-safe action, a revert), the meters whose supply was disabled,
 * and how many customers are off supply.
 */
import { type CommandRecordBatch, type RunContext, SUPPLY_EVENTS, SupplyState } from '@gbfleet/core';
import { COMMAND_OUTCOMES, ServiceRequest } from '@gbfleet/gbcs';
import { type MakeSafeAction, revertPlan } from './make-safe.js';
import { ACB } from './solr-senders.js';
import { type Customer, Phase, type SolrState } from './solr-state.js';

const DISABLED = SUPPLY_EVENTS.indexOf('disabled');
const OUTCOME = Object.fromEntries(COMMAND_OUTCOMES.map((name, i) => [name, i])) as Record<
  (typeof COMMAND_OUTCOMES)[number],
  number
>;
/** Outcomes after which a command is still on its way (held by the DCC) or worth sending again. */
const STILL_HELD = new Set([OUTCOME.DCC_QUARANTINED]);
const RETRY = new Set([OUTCOME.WAN_LOST, OUTCOME.GBCS_REPLAY]);

/** Each command record for a customer goes to whichever of its senders' handlers it belongs. */
export function readOutcomes(state: SolrState, run: RunContext, commands: CommandRecordBatch): void {
  for (let i = 0; i < commands.length; i++) {
    const slot = state.slotOf[commands.meter[i] as number] as number;
    if (slot < 0) continue;
    const x = state.customers[slot] as Customer;
    const sender = commands.sender[i] as number;
    const kind = commands.serviceRequest[i] as number;
    const reason = commands.reason[i] as number;
    if (sender === ACB && kind === ServiceRequest.UpdateSecurityCredentials) {
      changeOfSupplierOutcome(state, run, x, reason);
    } else if (sender === state.failed && x.phase === Phase.MakingSafe && x.waiting) {
      makeSafeOutcome(state, run, x, reason);
    } else if (sender === state.solr && x.phase === Phase.Reverting && x.waiting) {
      revertOutcome(run, x, kind, reason);
    }
  }
}

/** SR 6.23: accepted, the meter is the SoLR's and its make-safe actions are to be reverted. */
function changeOfSupplierOutcome(state: SolrState, run: RunContext, x: Customer, reason: number): void {
  if (reason === OUTCOME.ACCEPTED) {
    x.credentialed = true;
    // MP185: registration moves with each meter's change of supplier — once the meter holds
    // the SoLR's certificate — so the SRP is never refused with E4 before, and a meter the
    // SoLR cannot reach stays with the failed supplier's keys, which can still vend to it.
    if (state.config.pma.delayedRegistrationTransfer) run.fleet.columns.registeredSupplier[x.meter] = state.solr;
    run.count('solr: changes of supplier accepted');
    if (x.applied.length > 0 || x.phase === Phase.MakingSafe) {
      x.revertFromLimitCp = run.fleet.columns.emergencyCreditLimitCp[x.meter] as number;
      x.revertSteps = revertPlan(x.applied, x.original, x.revertFromLimitCp);
      x.phase = Phase.Reverting;
      x.next = 0;
      x.waiting = false;
    }
  } else if (!STILL_HELD.has(reason)) {
    run.count(`solr: changes of supplier refused (${COMMAND_OUTCOMES[reason]})`);
    if (RETRY.has(reason)) x.queue.cosRetry.push(x);
    else run.count('solr: meters the SoLR cannot re-credential remotely (site visit)');
  }
}

/** A make-safe action: accepted moves to the next (or Safe); lost is sent again; refused gives up. */
function makeSafeOutcome(state: SolrState, run: RunContext, x: Customer, reason: number): void {
  const strategy = state.config.srp.strategy;
  if (reason === OUTCOME.ACCEPTED) {
    x.applied.push(strategy[x.next] as MakeSafeAction);
    x.next++;
    x.waiting = false;
    if (x.next >= strategy.length) {
      x.phase = Phase.Safe;
      run.count('solr: meters made safe');
    }
  } else if (RETRY.has(reason)) {
    x.waiting = false;
  } else if (!STILL_HELD.has(reason)) {
    x.phase = Phase.Unreachable;
    x.waiting = false;
    run.count(`solr: make-safe refused (${COMMAND_OUTCOMES[reason]})`);
  }
}

/** A revert step (or the goodwill top-up before it): accepted moves on; refused for good ends it. */
function revertOutcome(run: RunContext, x: Customer, kind: number, reason: number): void {
  x.waiting = false;
  if (reason === OUTCOME.ACCEPTED && kind !== ServiceRequest.TopUp) x.next++;
  else if (reason !== OUTCOME.ACCEPTED && !RETRY.has(reason) && !STILL_HELD.has(reason)) {
    x.phase = Phase.Done;
    run.count(`solr: reverts refused (${COMMAND_OUTCOMES[reason]})`);
  }
}

/** A disablement just after a revert, or of a meter made safe, is what MP134A must avoid: counted. */
export function readSupplyEvents(
  state: SolrState,
  run: RunContext,
  meters: Uint32Array,
  events: Uint8Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    if (events[i] !== DISABLED) continue;
    const slot = state.slotOf[meters[i] as number] as number;
    if (slot < 0) continue;
    const x = state.customers[slot] as Customer;
    if (x.lastRevertStep >= 0 && run.step - x.lastRevertStep <= 1) run.count('solr: reverts that disabled supply');
    if (x.phase === Phase.Safe) run.count('solr: safe meters disabled');
  }
}

/**
 * Consumer-hours off supply (all, and vulnerable), and the peak number off at once. The peak is of
 * this run's customers: a segment's is its own shards' peak, and segments' peaks merge by max, a
 * lower bound of the whole run's (the peak of a sum is not the sum of peaks). Consumer-hours add up.
 */
export function tallyOffSupply(state: SolrState, run: RunContext): void {
  const supply = run.fleet.columns.supplyState;
  let off = 0;
  let vulnerableOff = 0;
  for (const x of state.customers) {
    if (supply[x.meter] !== SupplyState.Disabled) continue;
    off++;
    if (x.vulnerable) vulnerableOff++;
  }
  if (off > 0) run.count('solr: consumer-hours off supply', off * state.stepHours);
  if (vulnerableOff > 0) run.count('solr: vulnerable consumer-hours off supply', vulnerableOff * state.stepHours);
  if (off > 0) run.peak('solr: peak customers off supply', off);
}
