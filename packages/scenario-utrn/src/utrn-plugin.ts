/**
 * The UTRN plug-in for one run. Each step, on the main thread: WAN restorations and maintenance
 * windows take effect; site visits fall due; the surge's messages of the step are routed — over
 * the WAN, or as a code the consumer types when the meter has no WAN (or the DCC is down, or the
 * WAN lost it), or to a site visit when the meter's command set cannot carry it; consumers sit at
 * their keypads. After the step it reads what the meters made of each entry and settles codes.
 */
import {
  type RunContext,
  type ScenarioPlugin,
  type ScenarioSpec,
  type StepRecords,
  UTRN_STATUSES,
  type UtrnStatus,
  utrnDigitsForRequest,
  WanClass,
} from '@gbfleet/core';
import { OUTCOME_CODE, type ServiceRequestKind } from '@gbfleet/gbcs';
import { entryDelaySteps, neverEnters, nextAwakeStep, sittingAttempts, stepClock } from './consumer-model.js';
import { planMaintenance } from './maintenance-windows.js';
import { OffSupplyTally } from './off-supply-tally.js';
import { dueRange, planSurge, type SurgePlan, surgeMessage } from './surge-plan.js';
import type { Ticket } from './ticket-book.js';
import { TicketBook } from './ticket-book.js';
import { EVENT_RESOLUTION, UTRN_EVENT_TYPES, type UtrnConfig } from './utrn-config.js';
import { ARM_FIGURE, entryFigure, FIGURE } from './utrn-figures.js';
import { UtrnRun } from './utrn-run.js';
import { WanRestoration } from './wan-restoration.js';

/** A message on its way (surge, or a re-send), with what the resolution clock needs. */
interface Message {
  meter: number;
  supplier: number;
  kind: ServiceRequestKind;
  argument: number;
  plannedAt: number;
}

export function createUtrnPlugin(config: UtrnConfig, spec: ScenarioSpec): ScenarioPlugin {
  // DP092 breaches in the file are scenario errors: found here, before anything runs.
  const windows = planMaintenance(config, spec);
  const stepHours = spec.stepMinutes / 60;
  const clock = stepClock(spec.start, spec.stepMinutes);
  const model = config.consumer;
  const tickets = new TicketBook();
  const restoration = new WanRestoration();
  const visits = new Map<number, Array<Message & { arm: number }>>();
  const resends = new Map<number, Message[]>();
  /** WAN messages of this step, by meter·16 + kind, to catch WAN_LOST. */
  const wanSent = new Map<number, Message[]>();
  let u: UtrnRun;
  let plans: SurgePlan[] = [];
  let tally: OffSupplyTally;
  let nextTicket = 0;
  let nextVisit = 0;

  const later = <T>(map: Map<number, T[]>, step: number, item: T) => {
    const list = map.get(step);
    if (list) list.push(item);
    else map.set(step, [item]);
  };
  const awakeAfter = (step: number, hours: number) =>
    nextAwakeStep(model, clock, step + Math.max(1, Math.ceil(hours / stepHours)), stepHours);

  function issue(run: RunContext, m: Message, arm: number): void {
    const c = run.fleet.columns;
    const digits = utrnDigitsForRequest(m.kind, m.argument) as number;
    const counter = (c.utrnIssued[m.meter] as number) + 1;
    c.utrnIssued[m.meter] = counter;
    const id = nextTicket++;
    const ticket: Ticket = { ...m, id, counter, digits, arm, sittings: 0, random: run.random('utrn-consumer', id) };
    if (neverEnters(model, ticket.random, digits)) ticket.sittings = -1;
    u.arm(arm, ARM_FIGURE.issued);
    u.arm(arm, ARM_FIGURE.issuedDigits(digits));
    tickets.add(ticket, awakeAfter(run.step, entryDelaySteps(model, ticket.random, stepHours) * stepHours));
  }

  function needVisit(run: RunContext, m: Message, arm: number): void {
    u.arm(arm, ARM_FIGURE.visitsNeeded);
    const { min, max } = config.siteVisitHours;
    const hours = min + run.random('utrn-visit', nextVisit++).nextFloat() * (max - min);
    later(visits, run.step + Math.max(1, Math.ceil(hours / stepHours)), { ...m, arm });
  }

  function sendWan(run: RunContext, m: Message): void {
    run.send({ sender: m.supplier, meter: m.meter, kind: m.kind, argument: m.argument });
    later(wanSent, m.meter * 16 + m.kind, m);
  }

  /** Route one message: WAN, UTRN (no WAN, or DCC down), or a site visit. */
  function route(run: RunContext, m: Message): void {
    const arm = u.armOf(m.meter);
    const carried = u.canCarry(arm, m.kind, m.argument);
    if (run.fleet.columns.wanClass[m.meter] === WanClass.None) {
      if (carried) issue(run, m, arm);
      else {
        u.arm(arm, ARM_FIGURE.undeliverable);
        needVisit(run, m, arm);
      }
    } else if (config.fallback.wanDown && carried && u.wanDown(run.step)) {
      run.count(FIGURE.issuedWhileDown);
      issue(run, m, arm);
    } else {
      run.count(FIGURE.sentByWan);
      sendWan(run, m);
    }
  }

  function sit(run: RunContext, t: Ticket): void {
    const c = run.fleet.columns;
    const send = (attempts: number[]) =>
      run.send({
        sender: t.supplier,
        meter: t.meter,
        kind: t.kind,
        argument: t.argument,
        channel: 'utrn',
        counter: BigInt(t.counter) << 32n,
        utrn: { attempts },
      });
    if (t.sittings < 0) {
      send([]); // never typed in: the code's story ends unread
      return;
    }
    const lockedUntil = c.utrnLockedUntil[t.meter] as number;
    if (lockedUntil > run.step) {
      u.arm(t.arm, ARM_FIGURE.lockoutWaits);
      tickets.schedule(t, nextAwakeStep(model, clock, lockedUntil, stepHours));
      return;
    }
    if (t.sittings === 0) u.arm(t.arm, ARM_FIGURE.entered);
    t.sittings++;
    send(sittingAttempts(model, t.random, t.digits));
  }

  function settle(run: RunContext, t: Ticket, status: UtrnStatus): void {
    const step = run.step;
    switch (status) {
      case 'accepted':
        tickets.close(t);
        u.arm(t.arm, ARM_FIGURE.accepted);
        u.resolved(t.arm, step - t.plannedAt);
        return;
      case 'not-entered':
        tickets.close(t);
        u.arm(t.arm, ARM_FIGURE.neverEntered);
        return;
      case 'rejected-typo':
      case 'rejected-mac':
        if (t.sittings < model.sittings) tickets.schedule(t, awakeAfter(step, model.retryAfterHours));
        else {
          tickets.close(t);
          u.arm(t.arm, ARM_FIGURE.gaveUp);
          needVisit(run, t, t.arm);
        }
        return;
      case 'rejected-locked-out': {
        t.sittings--; // the keypad was locked: the consumer comes back when it opens
        u.arm(t.arm, ARM_FIGURE.lockoutWaits);
        const opens = Math.max(step + 1, run.fleet.columns.utrnLockedUntil[t.meter] as number);
        tickets.schedule(t, nextAwakeStep(model, clock, opens, stepHours));
        return;
      }
      default:
        tickets.close(t);
        u.arm(t.arm, ARM_FIGURE.refused(status));
        needVisit(run, t, t.arm);
    }
  }

  return {
    name: 'utrn',
    eventTypes: UTRN_EVENT_TYPES,
    setup(run) {
      u = new UtrnRun(config, run, windows);
      tally = new OffSupplyTally(u.trackedGroups(), 2);
      plans = config.surges.map((surge) =>
        planSurge(surge, {
          fleet: run.fleet,
          supplier: run.parties.byName(surge.supplier).index,
          seed: run.spec.seed,
          startStep: run.stepAt(surge.day, surge.hour),
          stepHours,
          noWanShare: run.spec.fleet.wan.none,
        }),
      );
      for (const plan of plans) u.countPlan(plan);
    },
    onEvent(event, run) {
      if (event.type !== EVENT_RESOLUTION) return;
      const index = run.spec.events.indexOf(event);
      const resolution = config.resolutions.find((r) => r.event === index);
      if (resolution) run.count(FIGURE.incidentsRaised, restoration.raise(resolution, run));
    },
    beforeStep(run) {
      const step = run.step;
      wanSent.clear();
      const restored = restoration.restoreDue(run);
      if (restored.length > 0) run.count(FIGURE.incidentsResolved, restored.length);
      u.applyMaintenance(run);
      for (const v of visits.get(step) ?? []) {
        if (run.fleet.columns.wanClass[v.meter] !== WanClass.None) {
          u.arm(v.arm, ARM_FIGURE.visitsAvoided);
          sendWan(run, v);
        } else {
          u.arm(v.arm, ARM_FIGURE.visitsMade);
          // The engineer configures the meter on site: it applies the change as it would any request.
          run.send({ sender: v.supplier, meter: v.meter, kind: v.kind, argument: v.argument, channel: 'site-visit' });
        }
        u.resolved(v.arm, step - v.plannedAt);
      }
      visits.delete(step);
      for (const m of resends.get(step) ?? []) sendWan(run, m);
      resends.delete(step);
      for (const plan of plans) {
        for (const group of [plan.noWan, plan.wan]) {
          const [lo, hi] = dueRange(plan, group, step);
          for (let j = lo; j < hi; j++) {
            const msg = surgeMessage(plan, group, j);
            route(run, {
              meter: msg.meter,
              supplier: plan.supplier,
              kind: msg.kind,
              argument: msg.argument,
              plannedAt: step,
            });
          }
        }
      }
      for (const t of tickets.takeDue(step)) sit(run, t);
    },
    afterStep(run, records) {
      wanLosses(run, records);
      readEntries(run, records);
      tally.observe(records.supply, stepHours);
      if (run.step === run.steps - 1) {
        tally.finish(run.steps, stepHours);
        u.finish(tally, tickets, visits, restoration);
      }
    },
  };

  function wanLosses(run: RunContext, records: StepRecords): void {
    const cm = records.commands;
    for (let i = 0; i < cm.length; i++) {
      if (cm.reason[i] !== OUTCOME_CODE.WAN_LOST || cm.channel[i] !== 0) continue;
      const k = (cm.meter[i] as number) * 16 + (cm.serviceRequest[i] as number);
      const m = wanSent.get(k)?.shift();
      if (!m) continue;
      const arm = u.armOf(m.meter);
      if (config.fallback.wanLost && u.canCarry(arm, m.kind, m.argument)) {
        run.count(FIGURE.reissuedAfterLoss);
        issue(run, m, arm);
      } else later(resends, run.step + 1, m); // try the WAN again
    }
  }

  function readEntries(run: RunContext, records: StepRecords): void {
    const rows = records.utrn;
    if (!rows || rows.length === 0) return;
    const last = new Map<Ticket, UtrnStatus>();
    for (let i = 0; i < rows.length; i++) {
      const status = UTRN_STATUSES[rows.status[i] as number] as UtrnStatus;
      if (status !== 'not-entered') run.count(FIGURE.keypadEntries);
      run.count(entryFigure(status));
      const t = tickets.find(rows.meter[i] as number, u.counterBitsOf(rows.utrn[i] as string));
      if (!t) {
        if (status !== 'not-entered') run.count(FIGURE.routineEntries);
        continue;
      }
      if (status !== 'not-entered') {
        u.arm(t.arm, ARM_FIGURE.entries);
        u.arm(t.arm, ARM_FIGURE.entryStatus(status));
      }
      last.set(t, status);
    }
    for (const [t, status] of last) settle(run, t, status);
  }
}
