/**
 * One step of one shard, in the worker that owns it for this step: deliver the shard's commands
 * (a real frame per WAN command: signed and MAC'd as the sender, then checked as the meter),
 * apply what the verified payloads ask, then advance prepayment physics for every meter in the
 * shard. Only meters in [lo, hi) are touched, so shards need no locks. Every random draw is a
 * pure function of (seed, meter, step): the result does not depend on the shard split.
 */
import {
  CommandCheckBatch,
  decodeServiceRequestPayload,
  InvalidArgumentError,
  OUTCOME_CODE,
  packedItem,
  SERVICE_REQUESTS,
} from '@gbfleet/gbcs';
import { selectCommands } from '../command-batch.js';
import { WorkerSetupError } from '../errors.js';
import type { FleetState } from '../fleet/fleet-state.js';
import { AlertBatchBuilder, SupplyEventBatchBuilder } from '../run/record-builders.js';
import { ChannelCode } from '../run/run-records.js';
import { UtrnBatchBuilder } from '../utrn/utrn-record-builder.js';
import type { ShardStepResult, ShardStepTask } from '../worker-protocol.js';
import { signCommands } from './command-crypto.js';
import { advancePhysics } from './meter-physics.js';
import { applyRequest } from './meter-requests.js';
import type { Sinks } from './shard-sinks.js';
import { keyInUtrn } from './utrn-entry.js';
import type { WorkerState } from './worker-state.js';

export function stepShard(state: WorkerState, task: ShardStepTask, step: number): ShardStepResult {
  const fleet = state.fleet;
  const physics = state.init.physics;
  if (!fleet || !physics) throw new WorkerSetupError('step-shard needs a worker started with a fleet and physics');
  if (!(task.lo >= 0 && task.lo <= task.hi && task.hi <= fleet.meters)) {
    throw new InvalidArgumentError(`shard [${task.lo}, ${task.hi}) is outside the fleet of ${fleet.meters}`);
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
  // The meters' checks of those frames, their crypto in one kernel call each (CommandCheckBatch).
  const checks = frames
    ? new CommandCheckBatch(frames, wan.batch.device, state.checkContext, state.checkCrypto)
    : undefined;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const meter = batch.device[i] as number;
    if (task.channel[i] === ChannelCode['site-visit']) {
      // An engineer configures the meter on site: no frame to check, the meter just applies it.
      const request = decodeServiceRequestPayload(packedItem(batch.payload, i));
      outcomes[i] = request
        ? applyRequest(fleet, meter, request.kind, request.argument, sinks)
        : OUTCOME_CODE.DEVICE_REFUSED;
      continue;
    }
    if (task.channel[i] === ChannelCode.utrn) {
      // Typed at the meter's keypad: issued as a real code, keyed in as the consumer did, checked
      // by the meter (check digit, counter window, MAC, duplicates, lockout) and only then acted on.
      outcomes[i] = keyInUtrn(state, fleet, task, i, sinks);
      continue;
    }
    const check = (checks as CommandCheckBatch).check(w++);
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
  const wan: number[] = [];
  for (let i = 0; i < n; i++) if (channel[i] === ChannelCode.wan) wan.push(i);
  if (wan.length === n) return { length: n, batch };
  return { length: wan.length, batch: selectCommands(batch, wan) };
}

/**
 * One UTRN command: the sender issues the code for (meter, counter) with its prepayment key, the
 * consumer keys it in attempt by attempt, the meter judges each entry. Returns the outcome code
 * of the last entry (or of the action an accepted code asked for).
 */
