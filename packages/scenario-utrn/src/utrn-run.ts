/**
 * What the UTRN plug-in knows about the run as a whole: which command set each meter's firmware
 * has (`compare`: a seeded half each), when the DCC's WAN is down (core outages and high-impact
 * maintenance), the maintenance windows' effects, and the figures kept per command set until the
 * last step writes their means and maxima.
 */
import {
  type FleetState,
  meterRandomU32,
  PaymentMode,
  type RunContext,
  seedKey,
  UtrnFlag,
  utrnDigitsForRequest,
  WanClass,
} from '@gbfleet/core';
import { parseExtendedUtrn, parseUtrn, ServiceRequest } from '@gbfleet/gbcs';
import { UtrnEngineError } from './errors.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import { type OffSupplyTally, UNTRACKED } from './off-supply-tally.js';
import type { SurgePlan } from './surge-plan.js';
import type { TicketBook } from './ticket-book.js';
import type { UtrnConfig } from './utrn-config.js';
import { ARM_FIGURE, ARMS, armFigure, FIGURE } from './utrn-figures.js';
import type { WanRestoration } from './wan-restoration.js';

const STREAM_ARM = 1001;
const TOP_UP_ONLY = 0;
const EXTENDED = 1;

export class UtrnRun {
  readonly #count: RunContext['count'];
  readonly #fleet: FleetState;
  readonly #arm: Uint8Array;
  readonly #arms: number[];
  readonly #wanDown: Uint8Array;
  readonly #starts = new Map<number, MaintenanceWindow[]>();
  readonly #lowEnds = new Map<number, number>();
  readonly #stepHours: number;
  #lowActive = 0;
  #saved = { intermittentLossShare: 0, intermittentDelayShare: 0 };
  readonly #resolved = [0, 0];
  readonly #resolvedHours = [0, 0];
  readonly #maxHours = [0, 0];
  readonly #meters = [0, 0];

  constructor(config: UtrnConfig, run: RunContext, windows: readonly MaintenanceWindow[]) {
    this.#count = run.count;
    this.#fleet = run.fleet;
    this.#stepHours = run.spec.stepMinutes / 60;
    const c = run.fleet.columns;
    const key = seedKey(run.spec.seed);
    this.#arm = new Uint8Array(run.fleet.meters);
    for (let m = 0; m < run.fleet.meters; m++) {
      const arm =
        config.commandSet === 'compare'
          ? meterRandomU32(key, STREAM_ARM, m, 0) & 1
          : config.commandSet === 'extended'
            ? EXTENDED
            : TOP_UP_ONLY;
      this.#arm[m] = arm;
      if (arm === EXTENDED) c.utrnFlags[m] = (c.utrnFlags[m] as number) | UtrnFlag.ExtendedCommands;
    }
    this.#arms =
      config.commandSet === 'compare'
        ? [TOP_UP_ONLY, EXTENDED]
        : [config.commandSet === 'extended' ? EXTENDED : TOP_UP_ONLY];
    // When the WAN is down: core outages, and high-impact maintenance (which is an outage).
    this.#wanDown = new Uint8Array(run.steps);
    const down = (from: number, steps: number) => this.#wanDown.fill(1, Math.max(0, from), Math.max(0, from + steps));
    for (const e of run.spec.events) {
      if (e.type === 'dcc-outage') down(run.stepAt(e.day, e.hour), Math.ceil(Number(e.params.hours) / this.#stepHours));
    }
    for (const w of windows) {
      if (w.startStep >= run.steps) continue;
      if (w.impact === 'high') down(w.startStep, w.steps);
      const list = this.#starts.get(w.startStep);
      if (list) list.push(w);
      else this.#starts.set(w.startStep, [w]);
      this.#count(w.impact === 'high' ? FIGURE.maintenanceHigh : FIGURE.maintenanceLow);
    }
    this.#count(FIGURE.maintenanceHigh, 0);
    this.#count(FIGURE.maintenanceLow, 0);
    for (const f of [FIGURE.surgeMessages, FIGURE.mustGoByUtrn, FIGURE.sentByWan, FIGURE.keypadEntries])
      this.#count(f, 0);
    for (const a of this.#arms) {
      for (const what of [
        ARM_FIGURE.meters,
        ARM_FIGURE.mustGoByUtrn,
        ARM_FIGURE.issued,
        ARM_FIGURE.accepted,
        ARM_FIGURE.undeliverable,
        ARM_FIGURE.visitsNeeded,
        ARM_FIGURE.visitsMade,
      ]) {
        this.arm(a, what, 0);
      }
    }
    for (let m = 0; m < run.fleet.meters; m++) {
      if (c.paymentMode[m] === PaymentMode.Prepayment && c.wanClass[m] === WanClass.None) {
        const arm = this.#arm[m] as number;
        this.#meters[arm] = (this.#meters[arm] as number) + 1;
        this.arm(arm, ARM_FIGURE.meters);
      }
    }
  }

  armOf(meter: number): number {
    return this.#arm[meter] as number;
  }

  /** Can a code the meter's firmware accepts carry this request? */
  canCarry(arm: number, kind: number, argument: number): boolean {
    const digits = utrnDigitsForRequest(kind, argument);
    return arm === EXTENDED ? digits !== null : kind === ServiceRequest.TopUp && digits === 20;
  }

  wanDown(step: number): boolean {
    return this.#wanDown[step] === 1;
  }

  arm(arm: number, what: string, amount = 1): void {
    this.#count(armFigure(ARMS[arm] as (typeof ARMS)[number], what), amount);
  }

  resolved(arm: number, steps: number): void {
    const hours = steps * this.#stepHours;
    this.#resolved[arm] = (this.#resolved[arm] as number) + 1;
    this.#resolvedHours[arm] = (this.#resolvedHours[arm] as number) + hours;
    this.#maxHours[arm] = Math.max(this.#maxHours[arm] as number, hours);
    this.arm(arm, ARM_FIGURE.resolved);
  }

  /** Off-supply groups: the command set of prepayment meters without WAN at the start, others untracked. */
  trackedGroups(): Uint8Array {
    const c = this.#fleet.columns;
    const groups = new Uint8Array(this.#fleet.meters).fill(UNTRACKED);
    for (let m = 0; m < this.#fleet.meters; m++) {
      if (c.paymentMode[m] === PaymentMode.Prepayment && c.wanClass[m] === WanClass.None)
        groups[m] = this.#arm[m] as number;
    }
    return groups;
  }

  /** The surge's totals, and the no-WAN messages per command set (they must go by UTRN). */
  countPlan(plan: SurgePlan): void {
    this.#count(FIGURE.surgeMessages, plan.total);
    this.#count(FIGURE.mustGoByUtrn, plan.noWan.messages);
    const n = plan.noWan.meters.length;
    for (let j = 0; j < plan.noWan.messages; j++) {
      this.arm(this.#arm[plan.noWan.meters[j % n] as number] as number, ARM_FIGURE.mustGoByUtrn);
    }
  }

  /**
   * Maintenance starting or ending this step. High impact: the DCC carries nothing (an outage).
   * Low impact: service degraded — meters on an intermittent WAN cannot be reached (every command
   * to them is lost) until the window ends.
   */
  applyMaintenance(run: RunContext): void {
    const ending = this.#lowEnds.get(run.step) ?? 0;
    this.#lowEnds.delete(run.step);
    if (ending > 0) {
      this.#lowActive -= ending;
      if (this.#lowActive === 0) Object.assign(run.dcc.wan, this.#saved);
    }
    for (const w of this.#starts.get(run.step) ?? []) {
      if (w.impact === 'high') {
        if (!run.dccOutage) {
          throw new UtrnEngineError(
            'high-impact DCC maintenance needs RunContext.dccOutage, which this engine lacks: update @gbfleet/core',
          );
        }
        run.dccOutage(w.hours);
        continue;
      }
      if (this.#lowActive === 0) {
        const { intermittentLossShare, intermittentDelayShare } = run.dcc.wan;
        this.#saved = { intermittentLossShare, intermittentDelayShare };
        run.dcc.wan.intermittentLossShare = 1;
        run.dcc.wan.intermittentDelayShare = 0;
      }
      this.#lowActive++;
      this.#lowEnds.set(w.startStep + w.steps, (this.#lowEnds.get(w.startStep + w.steps) ?? 0) + 1);
    }
  }

  /** The 10 counter bits an issued code carries (its digits say which code it is). */
  counterBitsOf(code: string): number {
    const parsed = code.length === 20 ? parseUtrn(code) : parseExtendedUtrn(code);
    return parsed.ok ? parsed.counterBits : -1;
  }

  /** The last step's figures: off supply, resolution times, what is still open, WAN restorations. */
  finish(
    tally: OffSupplyTally,
    tickets: TicketBook,
    visits: ReadonlyMap<number, ReadonlyArray<{ arm: number }>>,
    restoration: WanRestoration,
  ): void {
    const open = [0, 0];
    for (const t of tickets.openTickets()) open[t.arm] = (open[t.arm] as number) + 1;
    for (const list of visits.values()) for (const v of list) open[v.arm] = (open[v.arm] as number) + 1;
    for (const a of this.#arms) {
      const consumers = tally.consumers[a] as number;
      const hours = tally.hours[a] as number;
      this.arm(a, ARM_FIGURE.offSupplyConsumers, consumers);
      const meters = this.#meters[a] as number;
      this.arm(a, ARM_FIGURE.offSupplyPerThousand, meters > 0 ? round1((1000 * consumers) / meters) : 0);
      this.arm(a, ARM_FIGURE.offSupplyHours, Math.round(hours));
      this.arm(a, ARM_FIGURE.meanOffSupplyHours, consumers > 0 ? round1(hours / consumers) : 0);
      this.arm(a, ARM_FIGURE.offSupplyAtEnd, tally.atEnd[a] as number);
      const resolved = this.#resolved[a] as number;
      this.arm(
        a,
        ARM_FIGURE.meanHoursToResolve,
        resolved > 0 ? round1((this.#resolvedHours[a] as number) / resolved) : 0,
      );
      this.arm(a, ARM_FIGURE.maxHoursToResolve, round1(this.#maxHours[a] as number));
      this.arm(a, ARM_FIGURE.unresolved, open[a] as number);
    }
    if (restoration.raised > 0) {
      this.#count(
        FIGURE.meanDaysToRestore,
        restoration.restored > 0 ? round1(restoration.totalDays / restoration.restored) : 0,
      );
      this.#count(FIGURE.maxDaysToRestore, round1(restoration.maxDays));
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
