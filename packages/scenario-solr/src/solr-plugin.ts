/**
 * The Supplier of Last Resort scenario as one engine plug-in, with these actors:
 * - the failing supplier, which stops at its `supplier-fails` event;
 * - its SRP, which holds the failed supplier's keys and makes prepayment meters safe;
 * - the PSP, which keeps vending or not;
 * - the Authority, which appoints the SoLR;
 * - the SMKI PMA, which may delay revocation and registration transfer;
 * - the SoLR, which changes supplier (SR 6.23) and then reverts each make-safe action without
 *   disabling supply.
 * Every command is a real frame, signed by whoever holds the key at that moment. The state is
 * solr-state.ts (what a checkpoint keeps of it, solr-checkpoint.ts); what is sent, solr-senders.ts;
 * what is learnt from the records, solr-outcomes.ts; when delayed revocation ends, revocation-plan.ts. Queues and rates are per shard, and nothing
 * depends on meters outside the run's own shards, so a segmented run gives the whole run's rows.
 */
import type { RunContext, ScenarioPlugin, ScenarioSpec, StepRecords, TimelineEventSpec } from '@gbfleet/core';
import { SolrPlanError } from './errors.js';
import { customersPerShard, plannedRevocationStep } from './revocation-plan.js';
import { restoreSolrState, type SolrCheckpoint, saveSolrState } from './solr-checkpoint.js';
import type { SolrConfig } from './solr-config.js';
import { readOutcomes, readSupplyEvents, tallyOffSupply } from './solr-outcomes.js';
import { sendChangesOfSupplier, sendMakeSafe, sendReverts } from './solr-senders.js';
import { enrolCustomers, newSolrState, Phase, type SolrState } from './solr-state.js';

class SolrPlugin implements ScenarioPlugin {
  readonly name = 'solr';
  readonly #state: SolrState;
  /** The scenario's failure of the configured supplier; none: the plug-in does nothing. */
  readonly #failure: TimelineEventSpec | undefined;

  constructor(spec: ScenarioSpec, config: SolrConfig) {
    this.#state = newSolrState(spec, config);
    this.#failure = spec.events.find((e) => e.type === 'supplier-fails' && e.params.supplier === config.supplier);
  }

  parties() {
    return [{ name: this.#state.config.solr.name, role: 'solr' as const }];
  }

  setup(run: RunContext): void {
    const s = this.#state;
    if (!this.#failure) return;
    this.#planSteps(run, this.#failure);
    enrolCustomers(s, run);
    s.revocationStep = s.config.pma.delayedRevocation
      ? plannedRevocationStep(customersPerShard(s, run), s.quotas.cos, s.failStep, s.cosStartStep, run.steps - 1)
      : s.appointStep + Math.ceil(s.config.pma.revokeAfterAppointmentHours / s.stepHours);
    // Known now, so the parties table (written after setup) records it; it takes effect then.
    run.parties.at(s.failed).revokedAtStep = s.revocationStep;
    const prepay = s.customers.filter((x) => x.prepayment);
    run.count('solr: customers of the failed supplier', s.customers.length);
    run.count('solr: prepayment customers', prepay.length);
    run.count('solr: vulnerable prepayment customers', prepay.filter((x) => x.vulnerable).length);
    if (!run.parties.at(s.failed).usesSrp || s.config.srp.strategy.length === 0) {
      // Without an SRP nobody holds the failed supplier's keys: nothing can be made safe.
      for (const x of prepay) x.phase = Phase.Unreachable;
      run.count('solr: make-safe not possible (no SRP or no strategy)', prepay.length);
    }
  }

  /** Between two steps: the customers, the queues and the planned revocation (solr-checkpoint.ts). */
  checkpoint(): SolrCheckpoint | undefined {
    return this.#failure ? saveSolrState(this.#state) : undefined;
  }

  /** Instead of setup on a resumed run: the parties and steps again, the rest from the checkpoint. */
  restore(state: unknown, run: RunContext): void {
    if (!this.#failure) return;
    this.#planSteps(run, this.#failure);
    restoreSolrState(this.#state, state as SolrCheckpoint, run);
  }

  /** The parties and the steps at which each actor starts: a pure function of the spec and the parties. */
  #planSteps(run: RunContext, failure: TimelineEventSpec): void {
    const s = this.#state;
    for (const name of [s.config.supplier, s.config.solr.name]) {
      if (!run.parties.has(name)) {
        throw new SolrPlanError(
          `plugins.solr names ${JSON.stringify(name)}, which is not a party of this run: the plug-in was made for another scenario`,
        );
      }
    }
    s.failed = run.parties.byName(s.config.supplier).index;
    s.solr = run.parties.byName(s.config.solr.name).index;
    s.failStep = run.stepAt(failure.day, failure.hour);
    s.srpStartStep = s.failStep + Math.ceil(s.config.srp.startDelayHours / s.stepHours);
    s.appointStep = s.failStep + s.config.appointAfterDays * run.stepsPerDay;
    s.cosStartStep = s.appointStep + s.config.solr.onboardingDays * run.stepsPerDay;
  }

  beforeStep(run: RunContext): void {
    const s = this.#state;
    if (s.failed < 0 || run.step < s.failStep) return;
    if (run.step === s.failStep) this.#atFailure(run);
    if (run.step === s.srpStartStep && s.config.adtFastTrack) {
      // The DCC processes a threshold update at once instead of holding the burst.
      run.dcc.adt.thresholdPerParty = 1_000_000_000;
    }
    if (run.step === s.appointStep && !s.config.pma.delayedRegistrationTransfer) {
      const c = run.fleet.columns;
      for (const x of s.customers) c.registeredSupplier[x.meter] = s.solr;
      run.count('solr: registrations moved to the SoLR at appointment', s.customers.length);
    }
    if (run.step >= s.srpStartStep) sendMakeSafe(s, run);
    if (run.step >= s.cosStartStep) {
      sendChangesOfSupplier(s, run);
      sendReverts(s, run);
    }
  }

  afterStep(run: RunContext, records: StepRecords): void {
    const s = this.#state;
    if (s.failed < 0 || run.step < s.failStep) return;
    readOutcomes(s, run, records.commands);
    readSupplyEvents(s, run, records.supply.meter, records.supply.event, records.supply.length);
    tallyOffSupply(s, run);
    this.#timeToSafety(run);
    const revocation = s.revocationStep;
    if (s.config.pma.delayedRevocation && revocation !== null && run.step + 1 === revocation) {
      // Every segment plans the same step: the figure is the same in each, merged by max.
      run.peak('solr: hours from failure until revocation', (revocation - s.failStep) * s.stepHours);
    }
  }

  /**
   * The hours until every reachable customer is safe, as a peak: the whole run's is the latest of
   * its segments' (a meter never goes back to making-safe). A run that ends first reports the hours
   * to its end, with the meters still being made safe, so that segments merge to the whole run.
   */
  #timeToSafety(run: RunContext): void {
    const s = this.#state;
    if (s.safeAt !== null) return;
    const figure = 'solr: hours from failure until every reachable meter is safe';
    let pending = 0;
    for (const x of s.customers) if (x.phase === Phase.MakingSafe) pending++;
    if (pending === 0) {
      s.safeAt = run.step + 1;
      run.peak(figure, (run.step + 1 - s.failStep) * s.stepHours);
    } else if (run.step === run.steps - 1) {
      run.peak(figure, (run.steps - s.failStep) * s.stepHours);
      run.count('solr: reachable meters not yet safe at the end', pending);
    }
  }

  /** The core event stopped the failed supplier's vending; the PSP and SRP may keep it going. */
  #atFailure(run: RunContext): void {
    const s = this.#state;
    const party = run.parties.at(s.failed);
    party.vending = s.config.continueVending;
  }
}

export function createSolrPlugin(spec: ScenarioSpec, config: SolrConfig): ScenarioPlugin {
  return new SolrPlugin(spec, config);
}
