/**
 * One step of one shard, in the worker that owns it for this step: deliver the shard's commands
 * (a real frame per WAN command: signed and MAC'd as the sender, then checked as the meter),
 * apply what the verified payloads ask, then advance prepayment physics for every meter in the
 * shard. Only meters in [lo, hi) are touched, so shards need no locks. Every random draw is a
 * pure function of (seed, meter, step): the result does not depend on the shard split.
 */
import { PackedBytesBuilder, packedItem } from '../bytes/packed-bytes.js';
import {
  Calendar,
  decodeServiceRequestPayload,
  SERVICE_REQUESTS,
  ServiceRequest,
} from '../commands/service-requests.js';
import { FleetFlag, type FleetState, PaymentMode, SupplyState, UtrnFlag } from '../fleet/fleet-state.js';
import { MeterStream, meterRandom, meterRandomU32 } from '../random/meter-random.js';
import { OUTCOME_CODE } from '../rules/command-outcome.js';
import { checkCommand } from '../rules/device-command-check.js';
import { AlertBatchBuilder, SupplyEventBatchBuilder, TopUpRequestBuilder } from '../run/record-builders.js';
import {
  ALERT_CODES,
  type AlertCode,
  SUPPLY_CAUSES,
  SUPPLY_EVENTS,
  type SupplyCause,
  UTRN_STATUSES,
  type UtrnStatus,
} from '../run/run-records.js';
import { PrepaymentSecrets } from '../utrn/prepayment-key.js';
import {
  enterUtrn,
  UTRN_LOCKOUT_HOURS,
  UTRN_VERDICT_OUTCOME,
  UTRN_VERDICT_STATUS,
  type UtrnMeterState,
  type UtrnVerdict,
} from '../utrn/utrn-acceptance.js';
import { applyAttempt } from '../utrn/utrn-keying.js';
import { UtrnBatchBuilder } from '../utrn/utrn-record-builder.js';
import { issueUtrnForRequest, requestOfUtrnContent } from '../utrn/utrn-requests.js';
import type { CommandBatch, PhysicsInit, ShardStepResult, ShardStepTask } from '../worker-protocol.js';
import { signCommands } from './crypto-handlers.js';
import type { WorkerState } from './worker-state.js';

const ALERT = Object.fromEntries(ALERT_CODES.map((c, i) => [c, i])) as Record<AlertCode, number>;
const CAUSE = Object.fromEntries(SUPPLY_CAUSES.map((c, i) => [c, i])) as Record<SupplyCause, number>;
const EVENT_DISABLED = SUPPLY_EVENTS.indexOf('disabled');
const EVENT_ARMED = SUPPLY_EVENTS.indexOf('armed');
const EVENT_ENABLED = SUPPLY_EVENTS.indexOf('enabled');
const CP_PER_PENNY = 100;
const CHANNEL_UTRN = 1;
const UTRN_STATUS = Object.fromEntries(UTRN_STATUSES.map((c, i) => [c, i])) as Record<UtrnStatus, number>;
/** Alerts a meter raises for a rejected entry (a check-digit slip is the keypad's business only). */
const UTRN_ALERT: Partial<Record<UtrnVerdict, number>> = {
  duplicate: ALERT.UTRN_DUPLICATE,
  'not-authentic': ALERT.UTRN_NOT_AUTHENTIC,
  counter: ALERT.UTRN_COUNTER_REJECTED,
  'locked-out': ALERT.UTRN_LOCKED_OUT,
};
/** After these the consumer thinks they mistyped and types the code again (if they have another go). */
const RETYPE: ReadonlySet<UtrnVerdict> = new Set(['check-digit', 'malformed', 'not-authentic']);
const TYPED_EXACTLY = Uint32Array.of(0);
/** Per worker: prepayment Z per (party, device), computed at most once. */
const prepayment = new WeakMap<WorkerState, PrepaymentSecrets>();

interface Sinks {
  step: number;
  alerts: AlertBatchBuilder;
  supply: SupplyEventBatchBuilder;
  utrn: UtrnBatchBuilder;
}

export function stepShard(state: WorkerState, task: ShardStepTask, step: number): ShardStepResult {
  const fleet = state.fleet;
  const physics = state.init.physics;
  if (!fleet || !physics) throw new Error('step-shard needs a worker started with a fleet and physics');
  if (!(task.lo >= 0 && task.lo <= task.hi && task.hi <= fleet.meters)) {
    throw new RangeError(`shard [${task.lo}, ${task.hi}) is outside the fleet of ${fleet.meters}`);
  }
  const sinks: Sinks = {
    step,
    alerts: new AlertBatchBuilder(),
    supply: new SupplyEventBatchBuilder(),
    utrn: new UtrnBatchBuilder(),
  };
  const outcomes = deliverCommands(state, fleet, task, sinks);
  const topUps = advancePhysics(fleet, physics, task, sinks);
  const result: ShardStepResult = { outcomes, alerts: sinks.alerts.finish(), supply: sinks.supply.finish(), topUps };
  if (sinks.utrn.length > 0) result.utrn = sinks.utrn.finish();
  return result;
}

function deliverCommands(state: WorkerState, fleet: FleetState, task: ShardStepTask, sinks: Sinks): Uint8Array {
  const batch = task.commands;
  const n = batch.device.length;
  const outcomes = new Uint8Array(n);
  if (n === 0) return outcomes;
  for (let i = 0; i < n; i++) {
    const meter = batch.device[i] as number;
    if (meter < task.lo || meter >= task.hi)
      throw new RangeError(`command ${i} is for meter ${meter}, not in this shard`);
  }
  // Build every WAN frame first (sender side), then check each as its meter would.
  const wan = selectWan(batch, task.channel);
  const frames = wan.length > 0 ? signCommands(state, wan.batch).frames : undefined;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const meter = batch.device[i] as number;
    if (task.channel[i] === CHANNEL_UTRN) {
      // Typed at the meter's keypad: issued as a real code, keyed in as the consumer did, checked
      // by the meter (check digit, counter window, MAC, duplicates, lockout) and only then acted on.
      outcomes[i] = keyInUtrn(state, fleet, task, i, sinks);
      continue;
    }
    const check = checkCommand(packedItem(frames as NonNullable<typeof frames>, w++), meter, state.checkContext, {
      critical: batch.critical[i] === 1,
    });
    if (check.outcome !== 'ACCEPTED') {
      outcomes[i] = check.code;
      continue;
    }
    const request = decodeServiceRequestPayload(check.payload);
    // The payload must be a request of the kind its (authenticated) message code announced.
    const def = request ? SERVICE_REQUESTS[request.kind] : undefined;
    const allowed =
      request !== null && def !== undefined && def.messageCode === check.messageCode && def.cell === check.cell;
    outcomes[i] = allowed
      ? applyRequest(fleet, meter, request.kind, request.argument, sinks)
      : OUTCOME_CODE.DEVICE_REFUSED;
  }
  return outcomes;
}

function selectWan(batch: ShardStepTask['commands'], channel: Uint8Array) {
  const n = batch.device.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (channel[i] !== CHANNEL_UTRN) count++;
  if (count === n) return { length: n, batch };
  const payloads = new PackedBytesBuilder();
  const out: CommandBatch = {
    device: new Uint32Array(count),
    sender: new Uint16Array(count),
    counter: new BigUint64Array(count),
    messageCode: new Uint16Array(count),
    critical: new Uint8Array(count),
    payload: { bytes: new Uint8Array(0), offsets: new Uint32Array(1) },
  };
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (channel[i] === CHANNEL_UTRN) continue;
    out.device[j] = batch.device[i] as number;
    out.sender[j] = batch.sender[i] as number;
    out.counter[j] = batch.counter[i] as bigint;
    out.messageCode[j] = batch.messageCode[i] as number;
    out.critical[j] = batch.critical[i] as number;
    payloads.push(packedItem(batch.payload, i));
    j++;
  }
  out.payload = payloads.finish();
  return { length: count, batch: out };
}

/**
 * One UTRN command: the sender issues the code for (meter, counter) with its prepayment key, the
 * consumer keys it in attempt by attempt, the meter judges each entry. Returns the outcome code
 * of the last entry (or of the action an accepted code asked for).
 */
function keyInUtrn(state: WorkerState, fleet: FleetState, task: ShardStepTask, i: number, sinks: Sinks): number {
  const batch = task.commands;
  const meter = batch.device[i] as number;
  const sender = batch.sender[i] as number;
  const physics = state.init.physics as PhysicsInit;
  let secrets = prepayment.get(state);
  if (!secrets) {
    // Engine runs give every party as a sender, in party order: index = party index.
    secrets = new PrepaymentSecrets(
      state.init.seed,
      state.senders.map((p) => p.eui),
    );
    prepayment.set(state, secrets);
  }
  const device = state.init.deviceEuiBase + BigInt(meter);
  const request = decodeServiceRequestPayload(packedItem(batch.payload, i));
  const issued =
    request &&
    issueUtrnForRequest(request, {
      sharedSecret: secrets.secret(sender, meter),
      supplier: secrets.eui(sender),
      device,
      counter: batch.counter[i] as bigint,
      friendlyHours: { from: physics.friendlyFrom, to: physics.friendlyTo },
    });
  if (!issued) return OUTCOME_CODE.GBCS_UNSUPPORTED;
  const attempts = keyingOf(task, i);
  const { step } = sinks;
  if (attempts.length === 0) {
    sinks.utrn.push(step, meter, sender, issued.code, issued.pence, UTRN_STATUS['not-entered']);
    return OUTCOME_CODE.UTRN_NOT_ENTERED;
  }
  const c = fleet.columns;
  const cell = c.supplierCell[meter] as number;
  const meterState: UtrnMeterState = {
    highest: c.utrnHighest[meter] as number,
    recent: c.utrnRecent[meter] as number,
    strikes: c.utrnStrikes[meter] as number,
    lockedUntil: c.utrnLockedUntil[meter] as number,
  };
  const context = {
    now: step,
    lockoutSteps: Math.ceil(UTRN_LOCKOUT_HOURS / task.hours),
    extendedCommands: ((c.utrnFlags[meter] as number) & UtrnFlag.ExtendedCommands) !== 0,
    // The meter trusts the prepayment key of whoever sits in its supplier cell.
    supplier: secrets.eui(cell),
    device,
    sharedSecret: secrets.secret(cell, meter),
  };
  let outcome: number = OUTCOME_CODE.DEVICE_REFUSED;
  for (const attempt of attempts) {
    const entry = enterUtrn(meterState, applyAttempt(issued.code, attempt), context);
    sinks.utrn.push(step, meter, sender, issued.code, issued.pence, UTRN_STATUS[UTRN_VERDICT_STATUS[entry.verdict]]);
    const alert = UTRN_ALERT[entry.verdict];
    if (alert !== undefined) {
      sinks.alerts.push(step, meter, alert, cell, c.registeredSupplier[meter] as number, false);
    }
    outcome = OUTCOME_CODE[UTRN_VERDICT_OUTCOME[entry.verdict]];
    if (entry.content) {
      // The meter acts on what the verified code says, nothing else.
      const asked = requestOfUtrnContent(entry.content);
      outcome = asked ? applyRequest(fleet, meter, asked.kind, asked.argument, sinks) : OUTCOME_CODE.GBCS_UNSUPPORTED; // in the command set, but not in the fleet's physics
      break;
    }
    if (!RETYPE.has(entry.verdict)) break;
  }
  c.utrnHighest[meter] = meterState.highest;
  c.utrnRecent[meter] = meterState.recent;
  c.utrnStrikes[meter] = meterState.strikes;
  c.utrnLockedUntil[meter] = meterState.lockedUntil;
  return outcome;
}

function keyingOf(task: ShardStepTask, i: number): Uint32Array {
  const keying = task.utrn;
  if (!keying) return TYPED_EXACTLY;
  const from = keying.offsets[i];
  const to = keying.offsets[i + 1];
  if (from === undefined || to === undefined || from > to || to > keying.attempts.length) {
    throw new RangeError(`UTRN keying of command ${i} is out of range`);
  }
  return keying.attempts.subarray(from, to);
}

/** What the meter does with an accepted request. Returns the outcome code. */
function applyRequest(fleet: FleetState, meter: number, kind: number, argument: number, sinks: Sinks): number {
  const c = fleet.columns;
  switch (kind) {
    case ServiceRequest.TopUp: {
      if (argument <= 0) return OUTCOME_CODE.DEVICE_REFUSED;
      c.creditCp[meter] = (c.creditCp[meter] as number) + argument * CP_PER_PENNY;
      let flags = (c.flags[meter] as number) & ~FleetFlag.TopUpPending;
      if ((c.creditCp[meter] as number) > 0) flags &= ~(FleetFlag.EmergencyCreditActive | FleetFlag.LowCreditAlerted);
      c.flags[meter] = flags;
      if (c.supplyState[meter] === SupplyState.Disabled && (c.creditCp[meter] as number) > 0) {
        arm(fleet, meter, CAUSE['top-up'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetPaymentMode: {
      if (argument !== PaymentMode.Credit && argument !== PaymentMode.Prepayment) return OUTCOME_CODE.DEVICE_REFUSED;
      c.paymentMode[meter] = argument;
      if (argument === PaymentMode.Credit && c.supplyState[meter] === SupplyState.Disabled) {
        arm(fleet, meter, CAUSE['payment-mode-credit'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetEmergencyCreditLimit: {
      if (argument < 0) return OUTCOME_CODE.DEVICE_REFUSED;
      c.emergencyCreditLimitCp[meter] = argument * CP_PER_PENNY;
      if (c.supplyState[meter] === SupplyState.Disabled && (c.creditCp[meter] as number) > -argument * CP_PER_PENNY) {
        arm(fleet, meter, CAUSE['emergency-credit'], sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.SetNonDisablementCalendar: {
      if (argument < Calendar.None || argument > Calendar.Always) return OUTCOME_CODE.DEVICE_REFUSED;
      c.calendar[meter] = argument;
      if (argument === Calendar.Always && c.supplyState[meter] === SupplyState.Disabled) {
        arm(fleet, meter, CAUSE.command, sinks);
      }
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.UpdateSecurityCredentials: {
      if (argument < 0 || argument > 0xffff) return OUTCOME_CODE.DEVICE_REFUSED;
      c.supplierCell[meter] = argument;
      return OUTCOME_CODE.ACCEPTED;
    }
    case ServiceRequest.UpdateNetworkOperatorCredentials:
    case ServiceRequest.NetworkOperatorHandover: {
      // The cell's counter stays: the next occupant must exceed it (the MP128 trap).
      if (argument < 0 || argument > 0xffff) return OUTCOME_CODE.DEVICE_REFUSED;
      c.networkOperatorCell[meter] = argument;
      return OUTCOME_CODE.ACCEPTED;
    }
    default:
      return kind < SERVICE_REQUESTS.length ? OUTCOME_CODE.GBCS_UNSUPPORTED : OUTCOME_CODE.DEVICE_REFUSED;
  }
}

/** Supply may be restored: the meter arms, and the consumer presses the button in this step. */
function arm(fleet: FleetState, meter: number, cause: number, sinks: Sinks): void {
  const c = fleet.columns;
  c.supplyState[meter] = SupplyState.Armed;
  sinks.supply.push(sinks.step, meter, EVENT_ARMED, cause);
  sinks.alerts.push(
    sinks.step,
    meter,
    ALERT.SUPPLY_ARMED,
    c.supplierCell[meter] as number,
    c.registeredSupplier[meter] as number,
    false,
  );
}

function inFriendlyHours(physics: PhysicsInit, hour: number): boolean {
  const { friendlyFrom: from, friendlyTo: to } = physics;
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

function advancePhysics(fleet: FleetState, physics: PhysicsInit, task: ShardStepTask, sinks: Sinks) {
  const c = fleet.columns;
  const { step } = sinks;
  const topUps = new TopUpRequestBuilder();
  const hourFactor = ((physics.dailyProfile[task.hourOfDay] as number) * task.hours * task.consumptionMultiplier) / 24;
  const friendly = inFriendlyHours(physics, task.hourOfDay);
  const topUpChance = Math.min(1, physics.topUpProbabilityPerHour * task.hours);
  const amountRange = physics.topUpMaxPounds - physics.topUpMinPounds + 1;
  const key = physics.seedKey;
  const alert = (meter: number, code: number) =>
    sinks.alerts.push(step, meter, code, c.supplierCell[meter] as number, c.registeredSupplier[meter] as number, false);

  for (let m = task.lo; m < task.hi; m++) {
    const scheduled = c.scheduleAlertsPerDay[m] as number;
    if (scheduled > 0) sendScheduled(m, scheduled);
    if (c.paymentMode[m] !== PaymentMode.Prepayment) {
      if (c.supplyState[m] === SupplyState.Armed) enable(m);
      continue;
    }
    let supply = c.supplyState[m] as number;
    if (supply === SupplyState.Armed) {
      enable(m);
      supply = SupplyState.On;
    }
    let flags = c.flags[m] as number;
    let credit = c.creditCp[m] as number;
    if (supply === SupplyState.On) {
      const supplier = c.registeredSupplier[m] as number;
      const kwh = (c.meanKwhPerDay[m] as number) * hourFactor;
      credit -= Math.round(
        kwh * (physics.unitCpPerKwh[supplier] as number) + (physics.standingCpPerHour[supplier] as number) * task.hours,
      );
      if (credit < physics.lowCreditCp && (flags & FleetFlag.LowCreditAlerted) === 0) {
        flags |= FleetFlag.LowCreditAlerted;
        alert(m, ALERT.LOW_CREDIT);
      }
      const limit = c.emergencyCreditLimitCp[m] as number;
      if (credit <= 0 && limit > 0 && (flags & FleetFlag.EmergencyCreditActive) === 0) {
        flags |= FleetFlag.EmergencyCreditActive;
        alert(m, ALERT.EMERGENCY_CREDIT_ACTIVATED);
      }
      if (credit <= -limit) {
        // Out of credit and emergency credit: disable, unless the calendar says not now.
        const calendar = c.calendar[m] as number;
        const protectedNow = calendar === Calendar.Always || (calendar === Calendar.FriendlyHours && friendly);
        if (!protectedNow) {
          const crossedNow = (c.creditCp[m] as number) > -limit;
          credit = -limit;
          c.supplyState[m] = SupplyState.Disabled;
          supply = SupplyState.Disabled;
          sinks.supply.push(
            step,
            m,
            EVENT_DISABLED,
            crossedNow ? CAUSE['credit-exhausted'] : CAUSE['non-disablement-ended'],
          );
          if (limit > 0) alert(m, ALERT.EMERGENCY_CREDIT_EXHAUSTED);
          alert(m, ALERT.SUPPLY_DISABLED);
        }
      }
    }
    // The consumer's choice: below the threshold (or off supply), top up with some chance per hour.
    if (
      (flags & FleetFlag.TopUpPending) === 0 &&
      (supply === SupplyState.Disabled || credit < physics.topUpThresholdCp) &&
      meterRandom(key, MeterStream.TopUpDecision, m, step) < topUpChance
    ) {
      flags |= FleetFlag.TopUpPending;
      topUps.push(m, physics.topUpMinPounds + (meterRandomU32(key, MeterStream.TopUpAmount, m, step) % amountRange));
    }
    c.creditCp[m] = credit;
    c.flags[m] = flags;
  }
  return topUps.finish();

  /**
   * Meter-held schedules: alert k of the day goes out at hour ⌊24k/n⌋, to whoever holds the
   * supplier cell — the meter knows nothing of registration. The first `reads` carry readings.
   */
  function sendScheduled(m: number, perDay: number): void {
    // Steps shorter than an hour share their hour's hourOfDay: only the hour's first one sends.
    if (task.hours < 1 && step % Math.round(1 / task.hours) !== 0) return;
    const reads = c.scheduleReadsPerDay[m] as number;
    const from = task.hourOfDay;
    const to = from + task.hours;
    for (let k = 0; k < perDay; k++) {
      const hour = Math.floor((24 * k) / perDay);
      if (hour < from || hour >= to) continue;
      const withReads = k < reads;
      sinks.alerts.push(
        step,
        m,
        withReads ? ALERT.METER_READING : ALERT.SCHEDULED_ALERT,
        c.supplierCell[m] as number,
        c.registeredSupplier[m] as number,
        withReads,
      );
    }
  }

  function enable(m: number): void {
    c.supplyState[m] = SupplyState.On;
    sinks.supply.push(step, m, EVENT_ENABLED, CAUSE.command);
    sinks.alerts.push(
      step,
      m,
      ALERT.SUPPLY_ENABLED,
      c.supplierCell[m] as number,
      c.registeredSupplier[m] as number,
      false,
    );
  }
}
