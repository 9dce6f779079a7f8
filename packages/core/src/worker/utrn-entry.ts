/**
 * A UTRN typed at the meter's keypad, in the worker: the supplier's systems issue a real code,
 * the consumer types it (slips and all), and the meter judges each entry (MAC, counter window,
 * duplicates, lockout), raising alerts and writing one UTRN row per entry.
 */
import { applyAttempt, decodeServiceRequestPayload, OUTCOME_CODE, PrepaymentSecrets, packedItem } from '@gbfleet/gbcs';
import { type FleetState, UtrnFlag } from '../fleet/fleet-state.js';
import { UTRN_STATUSES, type UtrnStatus } from '../run/run-records.js';
import {
  enterUtrn,
  UTRN_LOCKOUT_HOURS,
  UTRN_VERDICT_OUTCOME,
  UTRN_VERDICT_STATUS,
  type UtrnMeterState,
  type UtrnVerdict,
} from '../utrn/utrn-acceptance.js';
import { issueUtrnForRequest, requestOfUtrnContent } from '../utrn/utrn-requests.js';
import type { PhysicsInit, ShardStepTask } from '../worker-protocol.js';
import { applyRequest } from './meter-requests.js';
import { ALERT, type Sinks } from './shard-sinks.js';
import type { WorkerState } from './worker-state.js';

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

export function keyInUtrn(state: WorkerState, fleet: FleetState, task: ShardStepTask, i: number, sinks: Sinks): number {
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
