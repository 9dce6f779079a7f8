/**
 * The engine: builds the run (parties, fleet, pool), then walks simulated time in bulk-synchronous
 * steps. Per step, on the main thread: timeline events fire, actors send commands, the DCC admits
 * or holds them; then one pool task per shard delivers its commands as real frames and advances
 * its meters; the step ends when every shard is done, and the records go to the sink.
 * Outcomes depend on (scenario, seed) only: never on worker count, shard size or timing.
 */
import { availableParallelism } from 'node:os';
import {
  checkAttempts,
  encodeServiceRequestPayload,
  InvalidArgumentError,
  OUTCOME_CODE,
  ServiceRequest,
} from '@gbfleet/gbcs';
import { buildFleet } from '../fleet/build-fleet.js';
import { DEVICE_EUI_BASE } from '../fleet/device-eui.js';
import { countOffSupply, snapshotOf } from '../fleet/fleet-snapshot.js';
import { FleetFlag, type FleetState, WanClass } from '../fleet/fleet-state.js';
import { ACB_PARTY, PartyTable } from '../parties/party-table.js';
import { CryptoPool } from '../pool/crypto-pool.js';
import { seedKey } from '../random/meter-random.js';
import { randomStream } from '../random/seeded-random.js';
import { CommandRecordBatchBuilder, type TopUpRequests } from '../run/record-builders.js';
import { BufferedRecordSink, concatBatches, type RunRecordSink } from '../run/record-sink.js';
import { ChannelCode, type RunStatus } from '../run/run-records.js';
import { stepAt, stepsOf, stepsPerDayOf } from '../scenario/scenario-clock.js';
import { CORE_EVENT_TYPES } from '../scenario/scenario-schema.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import { emptyUtrnBatch } from '../utrn/utrn-record-builder.js';
import { chargeRows } from './charges.js';
import { DccModel, type PendingCommand } from './dcc-model.js';
import { physicsInit } from './run-physics.js';
import { RunTally } from './run-tally.js';
import type { CommandRequest, RunContext, ScenarioPlugin } from './scenario-plugin.js';
import { commandBatchOf, type EnginePending, groupByShard, recordCommand } from './shard-delivery.js';

const DEFAULT_SHARD_METERS = 131_072;
/** Originator counters: (step + 1) · 2^24 + sequence, so they rise with time for every party. */
const COUNTER_STEP_SHIFT = 24n;
const MAX_COMMANDS_PER_PARTY_STEP = 1 << 24;
const UTRN_COUNTER_SHIFT = 32n;

export interface RunProgress {
  step: number;
  steps: number;
  /** ISO time at the end of the step just done. */
  simulatedTime: string;
  elapsedSeconds: number;
  meterStepsPerSecond: number;
  commandsPerSecond: number;
  etaSeconds: number;
}

export interface RunOptions {
  spec: ScenarioSpec;
  plugins?: readonly ScenarioPlugin[];
  workers?: number;
  sink: RunRecordSink;
  /** Called after every step (the CLI throttles what it prints). */
  onProgress?: (progress: RunProgress) => void;
  /** Abort: the run stops at the end of the current step and is marked interrupted. */
  signal?: AbortSignal;
  /**
   * Abort at once: the step in flight is dropped, the steps done are kept (written to the sink,
   * with their charges) and the run is marked interrupted.
   */
  stopNow?: AbortSignal;
  /** Meters per shard task (default 131,072); outcomes do not depend on it. */
  shardMeters?: number;
}

export interface RunSummary {
  status: RunStatus;
  scenario: string;
  seed: string;
  meters: number;
  workers: number;
  shards: number;
  stepsPlanned: number;
  stepsRun: number;
  simulatedStart: string;
  simulatedEnd: string;
  commands: { total: number; byReason: Record<string, number>; stillHeld: number };
  /** Alerts the meters raised, less those the DCC's policy dropped; `undelivered` never left a meter. */
  alerts: {
    total: number;
    byCode: Record<string, number>;
    droppedByDcc: number;
    /** Raised by meters without a WAN: never reached the DCC. */
    undelivered: number;
    toNonRegistered: number;
    readingsToNonRegistered: number;
  };
  supply: {
    disabledEvents: number;
    enabledEvents: number;
    offSupplyAtEnd: number;
    vulnerableOffSupplyAtEnd: number;
    peakOffSupply: number;
  };
  topUps: { requested: number; sent: number; notVended: number };
  figures: Record<string, number>;
  throughput: {
    wallSeconds: number;
    buildSeconds: number;
    meterStepsPerSecond: number;
    commandsPerSecond: number;
  };
}

export async function runScenario(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { spec } = options;
  const plugins = options.plugins ?? [];
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new InvalidArgumentError(`workers must be an integer from 1 to 256, got ${workers}`);
  }
  const handlers = eventHandlers(plugins);
  for (const event of spec.events) {
    if (!handlers.has(event.type)) {
      throw new InvalidArgumentError(`timeline event type ${JSON.stringify(event.type)} has no handler`);
    }
  }
  const stepHours = spec.stepMinutes / 60;
  const stepsPerDay = stepsPerDayOf(spec);
  const steps = stepsOf(spec);
  const startMs = Date.parse(spec.start);
  if (!Number.isFinite(startMs)) throw new InvalidArgumentError(`start ${JSON.stringify(spec.start)} is not a time`);

  // Parties: the ACB (0), suppliers, network operators, then what plug-ins declare.
  const parties = new PartyTable(spec.seed);
  const supplierIdx = spec.fleet.suppliers.map(
    (s) => parties.add({ name: s.name, role: 'supplier', usesSrp: s.srp }).index,
  );
  const networkIdx = spec.fleet.networkOperators.map(
    (n) => parties.add({ name: n.name, role: 'network-operator' }).index,
  );
  for (const plugin of plugins) for (const declaration of plugin.parties?.(spec) ?? []) parties.add(declaration);

  const fleet = buildFleet(spec.fleet, spec.seed, {
    suppliers: supplierIdx,
    networkOperators: networkIdx,
    acb: ACB_PARTY,
  });
  const key = seedKey(spec.seed);
  const physics = physicsInit(spec, parties, supplierIdx, key);
  const dcc = new DccModel(structuredClone(spec.dcc), fleet, parties, key, stepHours);
  const sink = new BufferedRecordSink(options.sink);
  // The parties row is written before the run starts, so a failure is written as the timeline
  // schedules it (the last supplier-fails event inside the run): the step the engine sets when
  // the event fires would come too late for the row.
  const scheduledFailure = new Map<number, number>();
  for (const event of spec.events) {
    const at = event.day * stepsPerDay + Math.floor((event.hour * 60) / spec.stepMinutes);
    if (event.type !== 'supplier-fails' || at >= steps) continue;
    const index = parties.byName(String(event.params.supplier)).index;
    scheduledFailure.set(index, Math.max(at, scheduledFailure.get(index) ?? at));
  }
  await sink.parties(
    parties.parties.map((p) => ({
      index: p.index,
      eui: p.eui,
      name: p.name,
      role: p.role,
      revokedAtStep: p.revokedAtStep,
      failedAtStep: p.failedAtStep ?? scheduledFailure.get(p.index) ?? null,
    })),
  );
  await sink.meters(snapshotOf(fleet));

  const shardMeters = options.shardMeters ?? DEFAULT_SHARD_METERS;
  const shards = Math.ceil(fleet.meters / shardMeters);
  const acb = parties.at(ACB_PARTY);
  const pool = CryptoPool.open({
    workers,
    seed: spec.seed,
    deviceCount: fleet.meters,
    deviceEuiBase: DEVICE_EUI_BASE,
    acb: { eui: acb.eui, kaScalar: acb.kaScalar },
    senders: parties.parties.map((p) => ({ eui: p.eui, dsScalar: p.dsScalar })),
    trustedParties: parties.parties.map((p) => ({ eui: p.eui, dsPublicSec1: p.dsPublicSec1 })),
    fleet,
    physics,
  });
  const buildSeconds = (performance.now() - started) / 1000;

  const tally = new RunTally();
  const figures: Record<string, number> = {};
  const partyCounters = new Map<number, number>();
  let outbox: PendingCommand[] = [];
  let topUpRequests: TopUpRequests[] = [];
  let consumption = { multiplier: 1, untilStep: -1 };
  let step = 0;
  let status: RunStatus = 'completed';
  const loopStarted = performance.now();

  const context = (current: number): RunContext => ({
    spec,
    fleet,
    parties,
    step: current,
    steps,
    stepsPerDay,
    stepAt: (day, hour) => stepAt(spec, day, hour),
    send: (command) => outbox.push(pending(command, current)),
    dcc: dcc.spec,
    dccOutage: (hours) => {
      if (!(Number.isFinite(hours) && hours > 0))
        throw new InvalidArgumentError(`a DCC outage lasts > 0 hours, got ${hours}`);
      dcc.outageUntil(current + Math.ceil(hours / stepHours));
    },
    random: (stream, entity) => randomStream(spec.seed, stream, entity),
    count: (figure, amount = 1) => {
      figures[figure] = (figures[figure] ?? 0) + amount;
    },
  });

  function pending(command: CommandRequest, current: number): PendingCommand {
    if (!(Number.isInteger(command.meter) && command.meter >= 0 && command.meter < fleet.meters)) {
      throw new InvalidArgumentError(`command for meter ${command.meter}: the fleet has meters 0..${fleet.meters - 1}`);
    }
    parties.at(command.sender);
    if (command.counter !== undefined && !(command.counter > 0n && command.counter < 1n << 64n)) {
      throw new InvalidArgumentError(`originator counter ${command.counter} is not in 1..2^64-1`);
    }
    const sequence = partyCounters.get(command.sender) ?? 0;
    if (sequence >= MAX_COMMANDS_PER_PARTY_STEP) {
      throw new InvalidArgumentError(
        `party ${command.sender} sent over ${MAX_COMMANDS_PER_PARTY_STEP} commands in one step`,
      );
    }
    partyCounters.set(command.sender, sequence + 1);
    // Checked here, where the plug-in that sent it is still on the stack.
    encodeServiceRequestPayload(command.kind, command.argument);
    const utrn = command.channel === 'utrn';
    if (command.utrn !== undefined && !utrn) {
      throw new InvalidArgumentError(`command for meter ${command.meter}: UTRN keying needs channel 'utrn'`);
    }
    if (command.utrn !== undefined) checkAttempts(command.utrn.attempts);
    const out: EnginePending = {
      sender: command.sender,
      meter: command.meter,
      kind: command.kind,
      argument: command.argument,
      channel: ChannelCode[command.channel ?? 'wan'],
      counter: utrn
        ? utrnCounter(command.meter, command.counter)
        : (command.counter ?? (BigInt(current + 1) << COUNTER_STEP_SHIFT) + BigInt(sequence)),
      sentAt: current,
      adtCounted: false,
    };
    if (command.utrn !== undefined) out.utrnAttempts = [...command.utrn.attempts];
    return out;
  }

  /**
   * A UTRN's counter: the meter's next (the supplier's per-device UTRN counter, a fleet column),
   * or the one given, which must have its lower 32 bits zero and moves the issued counter on.
   */
  function utrnCounter(meter: number, given: bigint | undefined): bigint {
    const issued = fleet.columns.utrnIssued;
    if (given === undefined) {
      const next = (issued[meter] as number) + 1;
      if (next > 0xffff_ffff) throw new InvalidArgumentError(`meter ${meter} has used up its UTRN counters`);
      issued[meter] = next;
      return BigInt(next) << UTRN_COUNTER_SHIFT;
    }
    if ((given & 0xffff_ffffn) !== 0n) {
      throw new InvalidArgumentError(
        `UTRN counter 0x${given.toString(16)} for meter ${meter} must have its lower 32 bits zero (a UTRN counter is the upper 32)`,
      );
    }
    const steps = Number(given >> UTRN_COUNTER_SHIFT);
    if (steps > (issued[meter] as number)) issued[meter] = steps;
    return given;
  }

  try {
    const firstContext = context(0);
    for (const plugin of plugins) plugin.setup?.(firstContext);
    for (; step < steps; step++) {
      partyCounters.clear();
      const run = context(step);
      // 1. The timeline.
      for (const event of spec.events) {
        if (run.stepAt(event.day, event.hour) !== step) continue;
        if (event.type === 'weather-surge') {
          const hours = Number(event.params.hours);
          consumption = { multiplier: Number(event.params.multiplier), untilStep: step + Math.ceil(hours / stepHours) };
        } else if (event.type === 'dcc-outage') {
          dcc.outageUntil(step + Math.ceil(Number(event.params.hours) / stepHours));
        } else if (event.type === 'supplier-fails') {
          const party = parties.byName(String(event.params.supplier));
          party.failedAtStep = step;
          party.vending = false;
        }
        handlers.get(event.type)?.onEvent?.(event, run);
      }
      // 2. Actors: consumers' top-ups from the last step are vended, then plug-ins act.
      for (const requests of topUpRequests) vend(requests, run, tally);
      topUpRequests = [];
      for (const plugin of plugins) plugin.beforeStep?.(run);
      const sent = outbox;
      outbox = [];
      // 3. The DCC: released holds first (they carry older counters), then this step's commands.
      const records = new CommandRecordBatchBuilder();
      const delivered: PendingCommand[] = [];
      for (const command of [...dcc.releasedAt(step), ...sent]) {
        const admission = dcc.admit(command, step);
        if (admission.admitted) delivered.push(command);
        else {
          if (admission.reason >= 0) recordCommand(records, step, command, admission.reason);
          if (admission.final) settleTopUp(fleet, command, false);
        }
      }
      // 4. One task per shard: deliver, verify, apply, advance physics.
      const multiplier = step < consumption.untilStep ? consumption.multiplier : 1;
      const hourOfDay = Math.floor((((step % stepsPerDay) * spec.stepMinutes) / 60) % 24);
      const byShard = groupByShard(delivered, shardMeters, shards);
      const stepping = Promise.all(
        byShard.map((commands, shard) =>
          pool.stepShard(
            {
              lo: shard * shardMeters,
              hi: Math.min(fleet.meters, (shard + 1) * shardMeters),
              hourOfDay,
              hours: stepHours,
              consumptionMultiplier: multiplier,
              ...commandBatchOf(commands),
            },
            { shard, step },
          ),
        ),
      );
      const results = await unlessStopped(stepping, options.stopNow);
      if (results === STOPPED) {
        status = 'interrupted';
        break;
      }
      // 5. Records, in shard order.
      results.forEach((result, shard) => {
        const commands = byShard[shard] as PendingCommand[];
        commands.forEach((command, i) => {
          const reason = result.outcomes[i] as number;
          recordCommand(records, step, command, reason);
          settleTopUp(fleet, command, reason === OUTCOME_CODE.ACCEPTED);
        });
        topUpRequests.push(result.topUps);
      });
      const routed = dcc.routeAlerts(concatBatches(results.map((r) => r.alerts)));
      tally.alertsDropped += routed.dropped;
      const utrnRows = results.flatMap((r) => (r.utrn ? [r.utrn] : []));
      const stepRecords = {
        commands: records.finish(),
        alerts: routed.delivered,
        supply: concatBatches(results.map((r) => r.supply)),
        utrn: utrnRows.length > 0 ? concatBatches(utrnRows) : emptyUtrnBatch(),
      };
      tally.add(stepRecords);
      for (const plugin of plugins) plugin.afterStep?.(run, stepRecords);
      await sink.commands(stepRecords.commands);
      await sink.alerts(stepRecords.alerts);
      await sink.supplyEvents(stepRecords.supply);
      await sink.utrn(stepRecords.utrn);
      if (options.onProgress) options.onProgress(progressOf(step + 1));
      if (options.signal?.aborted || options.stopNow?.aborted) {
        step++;
        status = step < steps ? 'interrupted' : 'completed';
        break;
      }
    }
    await keepStepsDone();
  } catch (error) {
    // What was simulated before the failure is kept, so an analyst can see what led up to it.
    await keepStepsDone().catch((flushError: unknown) => {
      if (error instanceof Error) error.message += `; the rows before it could not be written either: ${flushError}`;
    });
    throw error;
  } finally {
    await pool.close();
  }

  /** Writes the buffered rows of the steps done (`step` of them) and their charges. */
  async function keepStepsDone(): Promise<void> {
    await sink.charges(chargeRows(spec, parties, fleet, supplierIdx, startMs, step, stepsPerDay));
    await sink.flush();
  }

  const wallSeconds = (performance.now() - started) / 1000;
  const loopSeconds = (performance.now() - loopStarted) / 1000;
  return {
    status,
    scenario: spec.name,
    seed: spec.seed,
    meters: fleet.meters,
    workers,
    shards,
    stepsPlanned: steps,
    stepsRun: step,
    simulatedStart: new Date(startMs).toISOString(),
    simulatedEnd: new Date(startMs + step * spec.stepMinutes * 60_000).toISOString(),
    commands: { total: tally.commands, byReason: tally.byReason, stillHeld: dcc.stillHeld() },
    alerts: {
      total: tally.alerts,
      byCode: tally.byAlert,
      droppedByDcc: tally.alertsDropped,
      undelivered: tally.alertsUndelivered,
      toNonRegistered: tally.alertsMisrouted,
      readingsToNonRegistered: tally.readingsMisrouted,
    },
    supply: {
      disabledEvents: tally.disabled,
      enabledEvents: tally.enabled,
      offSupplyAtEnd: tally.offSupply,
      vulnerableOffSupplyAtEnd: countOffSupply(fleet, true),
      peakOffSupply: tally.peakOffSupply,
    },
    topUps: { requested: tally.topUpsRequested, sent: tally.topUpsSent, notVended: tally.topUpsNotVended },
    figures,
    throughput: {
      wallSeconds,
      buildSeconds,
      meterStepsPerSecond: loopSeconds > 0 ? (fleet.meters * step) / loopSeconds : 0,
      commandsPerSecond: loopSeconds > 0 ? tally.commands / loopSeconds : 0,
    },
  };

  function progressOf(done: number): RunProgress {
    const elapsed = (performance.now() - loopStarted) / 1000;
    return {
      step: done,
      steps,
      simulatedTime: new Date(startMs + done * spec.stepMinutes * 60_000).toISOString(),
      elapsedSeconds: elapsed,
      meterStepsPerSecond: elapsed > 0 ? (fleet.meters * done) / elapsed : 0,
      commandsPerSecond: elapsed > 0 ? tally.commands / elapsed : 0,
      etaSeconds: done > 0 ? (elapsed / done) * (steps - done) : 0,
    };
  }
}

const STOPPED = Symbol('stopped');

/** `work`'s result, or STOPPED as soon as `stop` aborts (the work is left to fail or finish unseen). */
function unlessStopped<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T | typeof STOPPED> {
  if (!stop) return work;
  if (stop.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(STOPPED);
  }
  return new Promise((resolve, reject) => {
    const onStop = () => {
      work.catch(() => undefined);
      resolve(STOPPED);
    };
    stop.addEventListener('abort', onStop, { once: true });
    work.then(
      (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}

function eventHandlers(plugins: readonly ScenarioPlugin[]): Map<string, ScenarioPlugin | null> {
  const handlers = new Map<string, ScenarioPlugin | null>(CORE_EVENT_TYPES.map((t) => [t, null]));
  for (const plugin of plugins) {
    for (const type of plugin.eventTypes ?? []) {
      if (handlers.has(type)) {
        throw new InvalidArgumentError(`plug-in ${plugin.name} registers event type ${type}, which is already taken`);
      }
      handlers.set(type, plugin);
    }
  }
  return handlers;
}

/** Consumers' top-up requests become top-up commands from their registered supplier. */
function vend(requests: TopUpRequests, run: RunContext, tally: RunTally): void {
  const c = run.fleet.columns;
  for (let i = 0; i < requests.length; i++) {
    const meter = requests.meter[i] as number;
    const supplier = c.registeredSupplier[meter] as number;
    tally.topUpsRequested++;
    if (!run.parties.at(supplier).vending) {
      tally.topUpsNotVended++;
      c.flags[meter] = (c.flags[meter] as number) & ~FleetFlag.TopUpPending;
      continue;
    }
    tally.topUpsSent++;
    run.send({
      sender: supplier,
      meter,
      kind: ServiceRequest.TopUp,
      argument: (requests.pounds[i] as number) * 100,
      channel: c.wanClass[meter] === WanClass.None ? 'utrn' : 'wan',
    });
  }
}

/** A top-up that failed for good frees the consumer to try again. */
function settleTopUp(fleet: FleetState, command: PendingCommand, accepted: boolean): void {
  if (command.kind !== ServiceRequest.TopUp || accepted) return;
  const flags = fleet.columns.flags;
  flags[command.meter] = (flags[command.meter] as number) & ~FleetFlag.TopUpPending;
}

export { DEVICE_EUI_BASE } from '../fleet/device-eui.js';
