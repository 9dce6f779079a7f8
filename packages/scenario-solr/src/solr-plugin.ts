/**
 * The Supplier of Last Resort scenario as one engine plug-in, with these actors:
 * - the failing supplier, which stops at its `supplier-fails` event;
 * - its SRP, which holds the failed supplier's keys and makes prepayment meters safe;
 * - the PSP, which keeps vending or not;
 * - the Authority, which appoints the SoLR;
 * - the SMKI PMA, which may delay revocation and registration transfer;
 * - the SoLR, which changes supplier (SR 6.23) and then reverts each make-safe action without
 *   disabling supply.
 * Every command is a real frame, signed by whoever holds the key at that moment.
 */
import {
  CENTIPENCE_PER_POUND,
  type CommandRecordBatch,
  FleetFlag,
  PaymentMode,
  type RunContext,
  type ScenarioPlugin,
  type ScenarioSpec,
  SUPPLY_EVENTS,
  SupplyState,
  WanClass,
} from '@gbfleet/core';
import { COMMAND_OUTCOMES, ServiceRequest } from '@gbfleet/gbcs';
import { actionCommand, type MakeSafeAction, revertPlan } from './make-safe.js';
import type { SolrConfig } from './solr-config.js';

const ACB = 0;
const DISABLED = SUPPLY_EVENTS.indexOf('disabled');
const OUTCOME = Object.fromEntries(COMMAND_OUTCOMES.map((name, i) => [name, i])) as Record<
  (typeof COMMAND_OUTCOMES)[number],
  number
>;
/** Outcomes after which a command is still on its way (held by the DCC) or worth sending again. */
const STILL_HELD = new Set([OUTCOME.DCC_QUARANTINED]);
const RETRY = new Set([OUTCOME.WAN_LOST, OUTCOME.GBCS_REPLAY]);

/** Where a customer's meter is in the scenario. */
const Phase = {
  /** Waiting for (or in the middle of) make-safe. */
  MakingSafe: 0,
  Safe: 1,
  /** Make-safe cannot reach it (no WAN) or was refused for good. */
  Unreachable: 2,
  /** Credentials now with the SoLR; reverting. */
  Reverting: 3,
  Done: 4,
} as const;

interface Customer {
  meter: number;
  prepayment: boolean;
  vulnerable: boolean;
  phase: number;
  /** Index of the next make-safe action to send (or revert step). */
  next: number;
  /** A command for this customer awaits its outcome. */
  waiting: boolean;
  /** Make-safe actions the meter accepted, in order. */
  applied: MakeSafeAction[];
  original: { calendar: number; emergencyCreditCp: number };
  credentialed: boolean;
  lastRevertStep: number;
  revertSteps: ReturnType<typeof revertPlan>;
}

export function createSolrPlugin(spec: ScenarioSpec, config: SolrConfig): ScenarioPlugin {
  const stepHours = spec.stepMinutes / 60;
  const event = spec.events.find((e) => e.type === 'supplier-fails' && e.params.supplier === config.supplier);
  let failed = -1;
  let solr = -1;
  let failStep = 0;
  let appointStep = 0;
  let cosStartStep = 0;
  const customers: Customer[] = [];
  /** meter → index into customers, or -1. */
  let slotOf = new Int32Array(0);
  let srpQueue = 0;
  let cosQueue = 0;
  /** Customers whose SR 6.23 was lost on the way: sent again before the queue moves on. */
  let cosRetry: number[] = [];
  let safeAt: number | null = null;
  let offSupplyPeak = 0;

  const perStep = (perHour: number) => Math.max(1, Math.round(perHour * stepHours));

  return {
    name: 'solr',
    parties: () => [{ name: config.solr.name, role: 'solr' }],

    setup(run) {
      if (!event) return;
      failed = run.parties.byName(config.supplier).index;
      solr = run.parties.byName(config.solr.name).index;
      failStep = run.stepAt(event.day, event.hour);
      appointStep = failStep + config.appointAfterDays * run.stepsPerDay;
      cosStartStep = appointStep + config.solr.onboardingDays * run.stepsPerDay;
      const c = run.fleet.columns;
      slotOf = new Int32Array(run.fleet.meters).fill(-1);
      for (let m = 0; m < run.fleet.meters; m++) {
        if (c.registeredSupplier[m] !== failed) continue;
        slotOf[m] = customers.length;
        const prepayment = c.paymentMode[m] === PaymentMode.Prepayment;
        customers.push({
          meter: m,
          prepayment,
          vulnerable: ((c.flags[m] as number) & FleetFlag.Vulnerable) !== 0,
          phase: prepayment ? Phase.MakingSafe : Phase.Safe,
          next: 0,
          waiting: false,
          applied: [],
          original: { calendar: c.calendar[m] as number, emergencyCreditCp: c.emergencyCreditLimitCp[m] as number },
          credentialed: false,
          lastRevertStep: -1,
          revertSteps: [],
        });
      }
      const prepay = customers.filter((x) => x.prepayment);
      run.count('solr: customers of the failed supplier', customers.length);
      run.count('solr: prepayment customers', prepay.length);
      run.count('solr: vulnerable prepayment customers', prepay.filter((x) => x.vulnerable).length);
      const srpHolds = run.parties.at(failed).usesSrp;
      if (!srpHolds || config.srp.strategy.length === 0) {
        // Without an SRP nobody holds the failed supplier's keys: nothing can be made safe.
        for (const x of prepay) x.phase = Phase.Unreachable;
        run.count('solr: make-safe not possible (no SRP or no strategy)', prepay.length);
      }
    },

    beforeStep(run) {
      if (failed < 0 || run.step < failStep) return;
      const party = run.parties.at(failed);
      if (run.step === failStep) {
        // The core event stopped its vending; the PSP and SRP may keep it going.
        party.vending = config.continueVending;
        if (config.pma.delayedRevocation === false) {
          party.revokedAtStep = appointStep + Math.ceil(config.pma.revokeAfterAppointmentHours / stepHours);
        }
      }
      const srpStart = failStep + Math.ceil(config.srp.startDelayHours / stepHours);
      if (run.step === srpStart && config.adtFastTrack) {
        // The DCC processes a threshold update at once instead of holding the burst.
        run.dcc.adt.thresholdPerParty = 1_000_000_000;
      }
      if (run.step === appointStep && !config.pma.delayedRegistrationTransfer) {
        const c = run.fleet.columns;
        for (const x of customers) c.registeredSupplier[x.meter] = solr;
        run.count('solr: registrations moved to the SoLR at appointment', customers.length);
      }
      if (run.step >= srpStart) sendMakeSafe(run);
      if (run.step >= cosStartStep) {
        sendChangesOfSupplier(run);
        sendReverts(run);
      }
    },

    afterStep(run, records) {
      if (failed < 0 || run.step < failStep) return;
      readOutcomes(run, records.commands);
      readSupplyEvents(run, records.supply.meter, records.supply.event, records.supply.length);
      tallyOffSupply(run);
      if (safeAt === null && customers.every((x) => x.phase !== Phase.MakingSafe)) {
        safeAt = run.step + 1;
        run.count('solr: hours from failure until every reachable meter is safe', (safeAt - failStep) * stepHours);
      }
      if (config.pma.delayedRevocation && party().revokedAtStep === null && cosQueue >= customers.length) {
        // Delayed revocation ends once the SoLR holds every cell.
        party().revokedAtStep = run.step + 1;
        run.count('solr: hours from failure until revocation', (run.step + 1 - failStep) * stepHours);
      }
      function party() {
        return run.parties.at(failed);
      }
    },
  };

  function sendMakeSafe(run: RunContext): void {
    let budget = perStep(config.srp.commandsPerHour);
    const c = run.fleet.columns;
    // Round-robin from where the SRP left off: first action to every meter, then the next.
    for (let scanned = 0; scanned < customers.length && budget > 0; scanned++) {
      const x = customers[srpQueue] as Customer;
      srpQueue = (srpQueue + 1) % customers.length;
      if (x.phase !== Phase.MakingSafe || x.waiting) continue;
      if (c.wanClass[x.meter] === WanClass.None) {
        x.phase = Phase.Unreachable;
        run.count('solr: make-safe impossible (no WAN)');
        continue;
      }
      const action = config.srp.strategy[x.next] as MakeSafeAction;
      run.send({ sender: failed, meter: x.meter, ...actionCommand(action, config.srp.emergencyCreditPounds) });
      x.waiting = true;
      budget--;
    }
  }

  function sendChangesOfSupplier(run: RunContext): void {
    let budget = perStep(config.solr.cosPerHour);
    const retry = cosRetry;
    cosRetry = [];
    for (const slot of retry) {
      const x = customers[slot] as Customer;
      run.send({ sender: ACB, meter: x.meter, kind: ServiceRequest.UpdateSecurityCredentials, argument: solr });
      budget--;
    }
    while (budget > 0 && cosQueue < customers.length) {
      const x = customers[cosQueue++] as Customer;
      run.send({ sender: ACB, meter: x.meter, kind: ServiceRequest.UpdateSecurityCredentials, argument: solr });
      budget--;
    }
  }

  function sendReverts(run: RunContext): void {
    let budget = perStep(config.solr.revertsPerHour);
    const c = run.fleet.columns;
    for (const x of customers) {
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

  function readOutcomes(run: RunContext, commands: CommandRecordBatch): void {
    for (let i = 0; i < commands.length; i++) {
      const slot = slotOf[commands.meter[i] as number] as number;
      if (slot < 0) continue;
      const x = customers[slot] as Customer;
      const sender = commands.sender[i] as number;
      const kind = commands.serviceRequest[i] as number;
      const reason = commands.reason[i] as number;
      if (sender === ACB && kind === ServiceRequest.UpdateSecurityCredentials) {
        if (reason === OUTCOME.ACCEPTED) {
          x.credentialed = true;
          // MP185: registration moves with each meter's change of supplier — once the meter holds
          // the SoLR's certificate — so the SRP is never refused with E4 before, and a meter the
          // SoLR cannot reach stays with the failed supplier's keys, which can still vend to it.
          if (config.pma.delayedRegistrationTransfer) run.fleet.columns.registeredSupplier[x.meter] = solr;
          run.count('solr: changes of supplier accepted');
          if (x.applied.length > 0 || x.phase === Phase.MakingSafe) {
            x.revertSteps = revertPlan(
              x.applied,
              x.original,
              run.fleet.columns.emergencyCreditLimitCp[x.meter] as number,
            );
            x.phase = Phase.Reverting;
            x.next = 0;
            x.waiting = false;
          }
        } else if (!STILL_HELD.has(reason)) {
          run.count(`solr: changes of supplier refused (${COMMAND_OUTCOMES[reason]})`);
          if (RETRY.has(reason)) cosRetry.push(slot);
          else run.count('solr: meters the SoLR cannot re-credential remotely (site visit)');
        }
        continue;
      }
      if (sender === failed && x.phase === Phase.MakingSafe && x.waiting) {
        if (reason === OUTCOME.ACCEPTED) {
          x.applied.push(config.srp.strategy[x.next] as MakeSafeAction);
          x.next++;
          x.waiting = false;
          if (x.next >= config.srp.strategy.length) {
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
        continue;
      }
      if (sender === solr && x.phase === Phase.Reverting && x.waiting) {
        x.waiting = false;
        if (reason === OUTCOME.ACCEPTED && kind !== ServiceRequest.TopUp) x.next++;
        else if (reason !== OUTCOME.ACCEPTED && !RETRY.has(reason) && !STILL_HELD.has(reason)) {
          x.phase = Phase.Done;
          run.count(`solr: reverts refused (${COMMAND_OUTCOMES[reason]})`);
        }
      }
    }
  }

  function readSupplyEvents(run: RunContext, meters: Uint32Array, events: Uint8Array, n: number): void {
    for (let i = 0; i < n; i++) {
      if (events[i] !== DISABLED) continue;
      const slot = slotOf[meters[i] as number] as number;
      if (slot < 0) continue;
      const x = customers[slot] as Customer;
      if (x.lastRevertStep >= 0 && run.step - x.lastRevertStep <= 1) run.count('solr: reverts that disabled supply');
      if (x.phase === Phase.Safe) run.count('solr: safe meters disabled');
    }
  }

  function tallyOffSupply(run: RunContext): void {
    const state = run.fleet.columns.supplyState;
    let off = 0;
    let vulnerableOff = 0;
    for (const x of customers) {
      if (state[x.meter] !== SupplyState.Disabled) continue;
      off++;
      if (x.vulnerable) vulnerableOff++;
    }
    if (off > 0) run.count('solr: consumer-hours off supply', off * stepHours);
    if (vulnerableOff > 0) run.count('solr: vulnerable consumer-hours off supply', vulnerableOff * stepHours);
    if (off > offSupplyPeak) {
      run.count('solr: peak customers off supply', off - offSupplyPeak);
      offSupplyPeak = off;
    }
  }
}
