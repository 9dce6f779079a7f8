/**
 * Everything a run needs before its first step, made in a fixed order from the scenario: the
 * options checked, the parties (the ACB, suppliers, network operators, then what plug-ins
 * declare), the fleet's shared buffers, the worker pool started with them, the keys and the
 * physics, the fleet built by the workers (or restored from a checkpoint), the DCC model, and the
 * meters rows set writing behind the steps.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@gbfleet/gbcs';
import { fleetPartiesOf } from '../fleet/build-fleet.js';
import { DEVICE_EUI_BASE } from '../fleet/device-eui.js';
import { allocateFleet, type FleetState } from '../fleet/fleet-state.js';
import { ACB_PARTY, PartyTable } from '../parties/party-table.js';
import { CryptoPool } from '../pool/crypto-pool.js';
import { seedKey } from '../random/meter-random.js';
import { BufferedRecordSink, type RunRecordSink } from '../run/record-sink.js';
import type { MeterSnapshot } from '../run/run-records.js';
import { stepsOf, stepsPerDayOf } from '../scenario/scenario-clock.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import type { PhysicsInit } from '../worker-protocol.js';
import { DccModel } from './dcc-model.js';
import { buildFleetInPool } from './pool-fleet-build.js';
import {
  type CheckpointPolicy,
  checkCheckpointable,
  type RunCheckpoint,
  restoreFleet,
  restoreParties,
} from './run-checkpoint.js';
import { physicsInit } from './run-physics.js';
import type { RunProgress, RunStage } from './run-summary.js';
import type { ScenarioPlugin } from './scenario-plugin.js';
import { type MeterRange, type SegmentSpec, segmentRange } from './segment-range.js';
import type { WatchdogOptions } from './shard-watchdog.js';
import { CoreTimeline, scheduledFailures, TimelineHandlers } from './timeline-events.js';

export interface RunOptions {
  spec: ScenarioSpec;
  plugins?: readonly ScenarioPlugin[];
  workers?: number;
  sink: RunRecordSink;
  /** Called after every step (the CLI throttles what it prints). */
  onProgress?: (progress: RunProgress) => void;
  /** Called as setup passes its slow stages: the fleet built or restored, the meters rows written. */
  onStage?: (stage: RunStage) => void;
  /** Abort: the run stops at the end of the current step and is marked interrupted. */
  signal?: AbortSignal;
  /**
   * Abort at once: the step in flight is dropped, the steps done are kept (written to the sink,
   * with their charges) and the run is marked interrupted.
   */
  stopNow?: AbortSignal;
  /**
   * Simulate one segment of the run: its whole shards only (see segment-range.ts). The rows are
   * exactly those the whole run computes for these meters; charges are left to the merge.
   */
  segment?: SegmentSpec;
  /** When a shard task counts as hung and fails the run (shard-watchdog.ts; default: 20 × its peers' median). */
  watchdog?: WatchdogOptions;
  /**
   * Steps between full garbage collections in every worker (worker/garbage-collection.ts), so a
   * long run's memory does not grow with garbage V8 has not wanted to collect yet. Default: one
   * simulated day; 0: never. Outcomes do not depend on it.
   */
  workerGcEvery?: number;
  /** Take checkpoints as the run goes (run-checkpoint.ts). */
  checkpoint?: CheckpointPolicy;
  /**
   * Go on from this checkpoint of the same scenario, seed and segment. The sink already holds the
   * rows of the steps done (parties and meters included), so they are not written again.
   */
  resume?: RunCheckpoint;
}

/** A run made ready: what the step loop works on. */
export interface RunSetup {
  readonly spec: ScenarioSpec;
  /** The scenario's plug-ins, in the order given (the core timeline is not among them). */
  readonly plugins: readonly ScenarioPlugin[];
  readonly timeline: CoreTimeline;
  readonly handlers: TimelineHandlers;
  readonly workers: number;
  readonly steps: number;
  readonly stepsPerDay: number;
  readonly startMs: number;
  readonly parties: PartyTable;
  /** Party index of each scenario supplier, in the scenario's order. */
  readonly supplierIdx: number[];
  readonly fleet: FleetState;
  readonly dcc: DccModel;
  readonly sink: BufferedRecordSink;
  readonly pool: CryptoPool;
  readonly shardMeters: number;
  /** The meters this process simulates: the whole fleet, or the segment's shards. */
  readonly owned: MeterRange;
  readonly segment: SegmentSpec | undefined;
  /** The checkpoint this run goes on from, if it resumes. */
  readonly resume: RunCheckpoint | undefined;
}

/** Checks what can be checked before anything is built; throws InvalidArgumentError. */
function checkOptions(options: RunOptions) {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new InvalidArgumentError(`workers must be an integer from 1 to 256, got ${workers}`);
  }
  const timeline = new CoreTimeline(options.spec.stepMinutes);
  const handlers = new TimelineHandlers([timeline, ...(options.plugins ?? [])]);
  handlers.checkHandled(options.spec.events);
  const startMs = Date.parse(options.spec.start);
  if (!Number.isFinite(startMs)) {
    throw new InvalidArgumentError(`start ${JSON.stringify(options.spec.start)} is not a time`);
  }
  return { workers, startMs, timeline, handlers };
}

/** The ACB (0), the suppliers, the network operators, then what each plug-in declares. */
function partiesOf(spec: ScenarioSpec, plugins: readonly ScenarioPlugin[]) {
  const parties = new PartyTable(spec.seed);
  const supplierIdx = spec.fleet.suppliers.map(
    (s) => parties.add({ name: s.name, role: 'supplier', usesSrp: s.srp }).index,
  );
  for (const n of spec.fleet.networkOperators) parties.add({ name: n.name, role: 'network-operator' });
  for (const plugin of plugins) for (const declaration of plugin.parties?.(spec) ?? []) parties.add(declaration);
  return { parties, supplierIdx };
}

export async function setUpRun(options: RunOptions): Promise<RunSetup> {
  const { spec } = options;
  const plugins = options.plugins ?? [];
  const { workers, startMs, timeline, handlers } = checkOptions(options);
  const steps = stepsOf(spec);
  const shardMeters = spec.fleet.shardMeters;
  const owned = segmentRange(spec.fleet.meters, shardMeters, options.segment);
  const { parties, supplierIdx } = partiesOf(spec, plugins);
  const { resume } = options;
  if (options.checkpoint || resume) checkCheckpointable(plugins);
  if (resume) checkResumable(resume, steps, owned);
  const fleet = allocateFleet(spec.fleet.meters);
  // A resumed run's fleet and parties are the checkpoint's: nothing to build.
  if (resume) {
    const restoring = performance.now();
    restoreFleet(fleet, resume);
    restoreParties(parties, resume.parties);
    options.onStage?.({ stage: 'fleet-restored', meters: owned.hi - owned.lo, seconds: secondsSince(restoring) });
  }
  const key = seedKey(spec.seed);
  const physics = physicsInit(spec, parties, supplierIdx, key);
  const pool = openPool(workers, spec, parties, fleet, physics);
  const meterRows = resume
    ? undefined
    : await buildFleetOf(pool, spec, parties, owned, options).catch(async (error: unknown) => {
        await pool.close();
        throw error;
      });
  const dcc = new DccModel(structuredClone(spec.dcc), fleet, parties, key, spec.stepMinutes / 60, shardMeters);
  const sink = new BufferedRecordSink(options.sink);
  // The steps need not wait for tens of millions of rows: they are written behind them, and the
  // sink's flush (a checkpoint, the run's end) waits for them.
  if (meterRows) {
    const writing = performance.now();
    const rows = owned.hi - owned.lo;
    sink.startMeters(meterRows, () =>
      options.onStage?.({ stage: 'meters-written', rows, seconds: secondsSince(writing) }),
    );
  }
  return {
    spec,
    plugins,
    timeline,
    handlers,
    workers,
    steps,
    stepsPerDay: stepsPerDayOf(spec),
    startMs,
    parties,
    supplierIdx,
    fleet,
    dcc,
    sink,
    pool,
    shardMeters,
    owned,
    segment: options.segment,
    resume,
  };
}

function openPool(
  workers: number,
  spec: ScenarioSpec,
  parties: PartyTable,
  fleet: FleetState,
  physics: PhysicsInit,
): CryptoPool {
  const acb = parties.at(ACB_PARTY);
  return CryptoPool.open({
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
}

/** The owned meters built by the pool's workers; returns their `meters` rows as built, in parts. */
async function buildFleetOf(
  pool: CryptoPool,
  spec: ScenarioSpec,
  parties: PartyTable,
  owned: MeterRange,
  options: RunOptions,
): Promise<MeterSnapshot[]> {
  const building = performance.now();
  const meterRows = await buildFleetInPool(pool, spec.fleet, spec.seed, fleetPartiesOf(spec.fleet, parties), owned);
  options.onStage?.({
    stage: 'fleet-built',
    meters: owned.hi - owned.lo,
    seconds: secondsSince(building),
    workers: pool.workers,
  });
  return meterRows;
}

function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** A checkpoint must be of this run's length and meters (the CLI checks the scenario and seed). */
function checkResumable(resume: RunCheckpoint, steps: number, owned: MeterRange): void {
  if (resume.steps !== steps || resume.owned.lo !== owned.lo || resume.owned.hi !== owned.hi) {
    throw new InvalidArgumentError(
      `checkpoint is of ${resume.steps} steps over meters ${resume.owned.lo}..${resume.owned.hi - 1}; ` +
        `this run has ${steps} steps over meters ${owned.lo}..${owned.hi - 1}`,
    );
  }
}

/**
 * The parties' rows, started once the plug-ins are set up: a plug-in fixes at setup when a
 * party's certificate is revoked (SoLR, GNO, hostile), and the core's timeline when a supplier
 * fails. A moment at or after the run's end never comes, so it is NULL. They are written behind
 * the steps, after the meters rows, so the first step does not wait for those.
 */
export function startPartyRows(run: RunSetup): void {
  const { spec, parties, steps, sink } = run;
  const failures = scheduledFailures(spec, parties, steps);
  const within = (step: number | null) => (step !== null && step < steps ? step : null);
  sink.startParties(
    parties.parties.map((p) => ({
      index: p.index,
      eui: p.eui,
      name: p.name,
      role: p.role,
      revokedAtStep: within(p.revokedAtStep),
      failedAtStep: within(p.failedAtStep ?? failures.get(p.index) ?? null),
    })),
  );
}
