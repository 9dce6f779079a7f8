/**
 * The DCC between senders and meters: certificate status, eligibility against registration data
 * (E4), Anomaly Detection Thresholds with quarantine (counted per shard), and WAN delivery (no WAN: not delivered;
 * intermittent: delayed or lost; a DCC outage holds everything until it ends). Runs on the main
 * thread in a fixed order, so its decisions are deterministic.
 */
import { OUTCOME_CODE, SERVICE_REQUESTS, TrustCell } from '@gbfleet/gbcs';
import { type FleetState, WanClass } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import { MeterStream, meterRandom } from '../random/meter-random.js';
import { ALERT_CODES, type AlertBatch, ChannelCode, CRITICAL_ALERTS } from '../run/run-records.js';
import type { DccSpec } from '../scenario/scenario-spec.js';

const METER_READING = ALERT_CODES.indexOf('METER_READING');
const CRITICAL_CODES = new Set(ALERT_CODES.flatMap((code, i) => (CRITICAL_ALERTS.has(code) ? [i] : [])));

/** A command on its way: what was asked, by whom, with the originator counter it was given. */
export interface PendingCommand {
  sender: number;
  meter: number;
  kind: number;
  argument: number;
  /** 0 WAN, 1 UTRN (index into CHANNELS). */
  channel: number;
  counter: bigint;
  /** Step at which it was sent (before any delay). */
  sentAt: number;
  /** Already counted against ADT (a released quarantine is not counted twice). */
  adtCounted: boolean;
}

export type Admission =
  | { admitted: true }
  | { admitted: false; reason: number /* COMMAND_OUTCOMES code */; final: boolean };

export class DccModel {
  readonly #spec: DccSpec;
  readonly #fleet: FleetState;
  readonly #parties: PartyTable;
  readonly #seedKey: number;
  readonly #stepHours: number;
  readonly #shardMeters: number;
  /** Commands held back (quarantine release, WAN delay, outage), by the step they move on. */
  readonly #held = new Map<number, PendingCommand[]>();
  #adtPeriod = -1;
  readonly #adtCount = new Map<number, number>();
  #outageUntil = -1;

  constructor(
    spec: DccSpec,
    fleet: FleetState,
    parties: PartyTable,
    seedKey: number,
    stepHours: number,
    shardMeters: number,
  ) {
    this.#spec = spec;
    this.#fleet = fleet;
    this.#parties = parties;
    this.#seedKey = seedKey;
    this.#stepHours = stepHours;
    this.#shardMeters = shardMeters;
  }

  get spec(): DccSpec {
    return this.#spec;
  }

  /** The WAN is down until `step` (exclusive): WAN commands wait. */
  outageUntil(step: number): void {
    this.#outageUntil = Math.max(this.#outageUntil, step);
  }

  /** Commands whose hold ends at `step`, in the order they were held. */
  releasedAt(step: number): PendingCommand[] {
    const released = this.#held.get(step) ?? [];
    this.#held.delete(step);
    return released;
  }

  /** Commands still held after the last step (reported as such at the end of a run). */
  stillHeld(): number {
    let n = 0;
    for (const list of this.#held.values()) n += list.length;
    return n;
  }

  /** What a checkpoint keeps: held commands, ADT counts, the outage and settings plug-ins changed. */
  checkpoint(): unknown {
    return {
      spec: this.#spec,
      held: this.#held,
      adtPeriod: this.#adtPeriod,
      adtCount: this.#adtCount,
      outageUntil: this.#outageUntil,
    };
  }

  /** Puts back what `checkpoint` returned (the settings in place: plug-ins hold `run.dcc`). */
  restore(state: unknown): void {
    const s = state as {
      spec: DccSpec;
      held: Map<number, PendingCommand[]>;
      adtPeriod: number;
      adtCount: Map<number, number>;
      outageUntil: number;
    };
    Object.assign(this.#spec.adt, s.spec.adt);
    Object.assign(this.#spec.wan, s.spec.wan);
    this.#spec.alertPolicy = s.spec.alertPolicy;
    this.#held.clear();
    for (const [step, list] of s.held) this.#held.set(step, list);
    this.#adtPeriod = s.adtPeriod;
    this.#adtCount.clear();
    for (const [key, count] of s.adtCount) this.#adtCount.set(key, count);
    this.#outageUntil = s.outageUntil;
  }

  /** Decides what happens to a command at `step`; holds it (and says so) when it must wait. */
  admit(command: PendingCommand, step: number): Admission {
    // An engineer on site needs neither the DCC nor the WAN.
    if (command.channel === ChannelCode['site-visit']) return { admitted: true };
    const def = SERVICE_REQUESTS[command.kind];
    if (!def) return { admitted: false, reason: OUTCOME_CODE.GBCS_UNSUPPORTED, final: true };
    if (!this.#parties.certificateUsableAt(command.sender, step)) {
      return { admitted: false, reason: OUTCOME_CODE.DCC_CERTIFICATE_REVOKED, final: true };
    }
    const c = this.#fleet.columns;
    // E4: a critical supplier command from a party that is not the registered supplier today.
    // Credential updates for other cells come from the DCC's own roles or the network operator
    // and are checked by the meter against its cells instead.
    if (def.critical && def.cell === TrustCell.Supplier && c.registeredSupplier[command.meter] !== command.sender) {
      return { admitted: false, reason: OUTCOME_CODE.DCC_E4_NOT_ELIGIBLE, final: true };
    }
    if (def.critical && !command.adtCounted) {
      command.adtCounted = true;
      if (this.#overThreshold(command.sender, command.meter, step)) {
        const release = this.#spec.adt.releaseAfterHours;
        if (release === null) return { admitted: false, reason: OUTCOME_CODE.DCC_QUARANTINE_DELETED, final: true };
        this.#hold(command, step + Math.max(1, Math.ceil(release / this.#stepHours)));
        return { admitted: false, reason: OUTCOME_CODE.DCC_QUARANTINED, final: false };
      }
    }
    if (command.channel === ChannelCode.utrn) return { admitted: true };
    const wan = c.wanClass[command.meter];
    if (wan === WanClass.None) return { admitted: false, reason: OUTCOME_CODE.WAN_NOT_DELIVERED, final: true };
    if (step < this.#outageUntil) {
      this.#hold(command, this.#outageUntil);
      return { admitted: false, reason: -1, final: false };
    }
    if (wan === WanClass.Intermittent && command.sentAt === step) {
      const draw = (stream: number) => meterRandom(this.#seedKey, stream + 16 * command.kind, command.meter, step);
      if (draw(MeterStream.WanLoss) < this.#spec.wan.intermittentLossShare) {
        return { admitted: false, reason: OUTCOME_CODE.WAN_LOST, final: true };
      }
      if (draw(MeterStream.WanDelay) < this.#spec.wan.intermittentDelayShare) {
        this.#hold(command, step + Math.max(1, Math.ceil(this.#spec.wan.intermittentDelayHours / this.#stepHours)));
        return { admitted: false, reason: -1, final: false };
      }
    }
    return { admitted: true };
  }

  /**
   * Applies the alert policy to a step's alerts (alerts the DCC passes on are what a party
   * receives). Returns the alerts delivered and how many were dropped.
   */
  routeAlerts(alerts: AlertBatch): { delivered: AlertBatch; dropped: number } {
    // A meter without a WAN cannot send: its alerts stay in its own log, marked undelivered.
    const wan = this.#fleet.columns.wanClass;
    for (let i = 0; i < alerts.length; i++) {
      if (wan[alerts.meter[i] as number] === WanClass.None) alerts.delivered[i] = 0;
    }
    const policy = this.#spec.alertPolicy;
    if (policy === 'none' || alerts.length === 0) return { delivered: alerts, dropped: 0 };
    if (policy === 'dcc-schedules') {
      // Readings come from DCC-held schedules, validated against registration data: they reach
      // the registered supplier, never a party whose supply has ended.
      for (let i = 0; i < alerts.length; i++) {
        if (alerts.code[i] === METER_READING) alerts.recipient[i] = alerts.registeredSupplier[i] as number;
      }
      return { delivered: alerts, dropped: 0 };
    }
    const keep = new Uint32Array(alerts.length);
    let kept = 0;
    for (let i = 0; i < alerts.length; i++) {
      const misrouted = alerts.recipient[i] !== alerts.registeredSupplier[i] && alerts.delivered[i] === 1;
      if (!misrouted || CRITICAL_CODES.has(alerts.code[i] as number)) keep[kept++] = i;
    }
    if (kept === alerts.length) return { delivered: alerts, dropped: 0 };
    const pick = <T extends Uint8Array | Uint16Array | Uint32Array>(column: T): T => {
      const out = new (column.constructor as new (n: number) => T)(kept);
      for (let j = 0; j < kept; j++) out[j] = column[keep[j] as number] as number;
      return out;
    };
    return {
      delivered: {
        length: kept,
        step: pick(alerts.step),
        meter: pick(alerts.meter),
        code: pick(alerts.code),
        recipient: pick(alerts.recipient),
        registeredSupplier: pick(alerts.registeredSupplier),
        carriesReads: pick(alerts.carriesReads),
        delivered: pick(alerts.delivered),
      },
      dropped: alerts.length - kept,
    };
  }

  /**
   * ADT, counted per party and shard: each shard has the threshold's share that its meters are of
   * the fleet, so the count never crosses shards (or segments). Over when
   * count > threshold · shard meters / fleet meters, compared in integers.
   */
  #overThreshold(sender: number, meter: number, step: number): boolean {
    const period = Math.floor((step * this.#stepHours) / this.#spec.adt.periodHours);
    if (period !== this.#adtPeriod) {
      this.#adtPeriod = period;
      this.#adtCount.clear();
    }
    const shard = Math.floor(meter / this.#shardMeters);
    const key = shard * 0x1_0000 + sender;
    const count = (this.#adtCount.get(key) ?? 0) + 1;
    this.#adtCount.set(key, count);
    const meters = this.#fleet.meters;
    const shardSize = Math.min(meters, (shard + 1) * this.#shardMeters) - shard * this.#shardMeters;
    return count * meters > this.#spec.adt.thresholdPerParty * shardSize;
  }

  #hold(command: PendingCommand, untilStep: number): void {
    const list = this.#held.get(untilStep);
    if (list) list.push(command);
    else this.#held.set(untilStep, [command]);
  }
}
