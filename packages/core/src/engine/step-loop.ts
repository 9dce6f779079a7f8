/**
 * The step loop: simulated time in bulk-synchronous steps. Per step, on the main thread, the
 * timeline fires, consumers' top-ups are vended and plug-ins send; the DCC admits, holds or refuses;
 * then one pool task per shard delivers its commands as real frames and advances its meters, and
 * the step's records go to the plug-ins and the sink, in shard order.
 */
import { InvalidArgumentError, OUTCOME_CODE } from '@gbfleet/gbcs';
import { randomStream } from '../random/seeded-random.js';
import { CommandRecordBatchBuilder, type TopUpRequests } from '../run/record-builders.js';
import { concatBatches } from '../run/record-sink.js';
import type { RunStatus } from '../run/run-records.js';
import { stepAt } from '../scenario/scenario-clock.js';
import { emptyUtrnBatch } from '../utrn/utrn-record-builder.js';
import type { ShardStepResult } from '../worker-protocol.js';
import { type ChargeInputs, chargeInputsOf, chargeRows } from './charges.js';
import { admitCommands } from './command-admission.js';
import { CommandIntake } from './command-intake.js';
import type { PendingCommand } from './dcc-model.js';
import {
  CHECKPOINT_FORMAT,
  type EngineState,
  fleetBytesOf,
  partiesStateOf,
  pluginStatesFor,
  pluginStatesOf,
  type RunCheckpoint,
} from './run-checkpoint.js';
import { type RunOptions, type RunSetup, startPartyRows } from './run-setup.js';
import { progressOf, type RunClock } from './run-summary.js';
import { RunTally } from './run-tally.js';
import type { RunContext, StepRecords } from './scenario-plugin.js';
import { commandBatchOf, type EnginePending, groupByShard, recordCommand } from './shard-delivery.js';
import { ShardWatchdog } from './shard-watchdog.js';
import { STOPPED, unlessStopped } from './stop-signal.js';
import { settleTopUp, vend } from './top-up-vending.js';

export class StepLoop {
  readonly tally = new RunTally();
  /** The plug-ins' named figures for the summary. */
  readonly figures: Record<string, number> = {};
  /** Which of them are maxima (merged by max, not summed). */
  readonly peakFigures = new Set<string>();
  /** Steps done: their rows are in the sink (or its buffer). */
  stepsDone = 0;
  status: RunStatus = 'completed';
  readonly #run: RunSetup;
  readonly #options: RunOptions;
  readonly #clock: RunClock;
  readonly #intake: CommandIntake;
  readonly #watchdog: ShardWatchdog;
  /** Consumers' top-up requests from the last step, vended at the start of the next. */
  #topUpRequests: TopUpRequests[] = [];
  /** The workers' heaps in use after their last collection, bytes (null before the first). */
  #workerHeap: number | null = null;
  /** When the last checkpoint was taken (or the loop began), ms. */
  #lastCheckpoint = performance.now();

  constructor(run: RunSetup, options: RunOptions, clock: RunClock) {
    this.#run = run;
    this.#options = options;
    this.#clock = clock;
    this.#intake = new CommandIntake(run.fleet, run.parties, run.owned, run.shardMeters);
    this.#watchdog = new ShardWatchdog(options.watchdog);
  }

  /** Sets the plug-ins up (or puts a checkpoint back), then runs every step, or until a stop signal. */
  async runAll(): Promise<void> {
    const { plugins, steps, resume } = this.#run;
    if (resume) this.#restore(resume);
    else {
      const first = this.#context(0);
      for (const plugin of plugins) plugin.setup?.(first);
      startPartyRows(this.#run);
    }
    const { signal, stopNow, onProgress, checkpoint } = this.#options;
    this.#lastCheckpoint = performance.now();
    while (this.stepsDone < steps) {
      if (!(await this.#runStep(this.stepsDone))) {
        this.status = 'interrupted';
        return;
      }
      this.stepsDone++;
      await this.#collectWorkerGarbage();
      onProgress?.(
        progressOf(
          this.#run.spec,
          this.#run.fleet.meters,
          this.#clock,
          this.tally,
          this.stepsDone,
          steps,
          this.#workerHeap,
        ),
      );
      if (signal?.aborted || stopNow?.aborted) {
        this.status = this.stepsDone < steps ? 'interrupted' : 'completed';
        return;
      }
      const seconds = (performance.now() - this.#lastCheckpoint) / 1000;
      if (checkpoint && this.stepsDone < steps && checkpoint.due(this.stepsDone, seconds)) {
        // The rows first: a checkpoint never points past what the sink holds.
        await this.#run.sink.flush();
        await checkpoint.write(this.#checkpoint());
        this.#lastCheckpoint = performance.now();
      }
    }
  }

  /** Every `workerGcEvery` steps (default a simulated day), a full GC in every worker. */
  async #collectWorkerGarbage(): Promise<void> {
    const every = this.#options.workerGcEvery ?? this.#run.stepsPerDay;
    if (!(every > 0) || this.stepsDone % every !== 0 || this.stepsDone === this.#run.steps) return;
    const heaps = await this.#run.pool.collectGarbage(this.stepsDone);
    this.#workerHeap = heaps.reduce((sum, h) => sum + h.heapUsedBytes, 0);
  }

  /** The run's state now, between steps (views on the live fleet: see run-checkpoint.ts). */
  #checkpoint(): RunCheckpoint {
    const { fleet, owned, parties, dcc, timeline, plugins, steps } = this.#run;
    const engine: EngineState = {
      dcc: dcc.checkpoint(),
      timeline: timeline.checkpoint(),
      tally: { ...this.tally },
      figures: this.figures,
      peakFigures: [...this.peakFigures],
      topUpRequests: this.#topUpRequests,
      outbox: this.#intake.waiting(),
    };
    return {
      format: CHECKPOINT_FORMAT,
      step: this.stepsDone,
      steps,
      owned: { lo: owned.lo, hi: owned.hi },
      fleet: fleetBytesOf(fleet, owned),
      parties: partiesStateOf(parties),
      engine,
      plugins: pluginStatesOf(plugins),
    };
  }

  /** Puts the engine's and the plug-ins' state back (the fleet and parties are back already). */
  #restore(resume: RunCheckpoint): void {
    const { dcc, timeline, plugins } = this.#run;
    const states = pluginStatesFor(plugins, resume);
    const e = resume.engine;
    dcc.restore(e.dcc);
    timeline.restore(e.timeline);
    const { byReason, byAlert, ...counts } = e.tally as RunTally;
    Object.assign(this.tally, counts);
    Object.assign(this.tally.byReason, byReason);
    Object.assign(this.tally.byAlert, byAlert);
    Object.assign(this.figures, e.figures);
    for (const figure of e.peakFigures) this.peakFigures.add(figure);
    this.#topUpRequests = e.topUpRequests as TopUpRequests[];
    this.#intake.restoreWaiting(e.outbox as EnginePending[]);
    this.stepsDone = resume.step;
    this.#clock.commandsBefore = this.tally.commands;
    const run = this.#context(resume.step);
    plugins.forEach((plugin, i) => {
      plugin.restore?.(states[i], run);
    });
  }

  /**
   * Writes the buffered rows of the steps done and their charges. A segment writes no charges
   * (they depend on the whole fleet): it returns their inputs, for the merge.
   */
  async keepStepsDone(): Promise<ChargeInputs> {
    const { spec, parties, fleet, supplierIdx, startMs, stepsPerDay, sink, owned, segment } = this.#run;
    const inputs = chargeInputsOf(parties, fleet, supplierIdx, owned, this.stepsDone);
    if (!segment) await sink.charges(chargeRows(spec, inputs, startMs, stepsPerDay));
    await sink.flush();
    return inputs;
  }

  /** One step; false when a stop-now signal dropped it in flight. */
  async #runStep(step: number): Promise<boolean> {
    const { spec, plugins, dcc, fleet, shardMeters, owned } = this.#run;
    this.#intake.startStep();
    const run = this.#context(step);
    // 1. The timeline. 2. Actors: last step's top-ups are vended, then plug-ins act.
    this.#run.handlers.fire(spec.events, run);
    for (const requests of this.#topUpRequests) vend(requests, run, this.tally);
    this.#topUpRequests = [];
    for (const plugin of plugins) plugin.beforeStep?.(run);
    // 3. The DCC. 4. One task per shard: deliver, verify, apply, advance physics.
    const records = new CommandRecordBatchBuilder();
    const delivered = admitCommands(dcc, fleet, step, this.#intake.takeSent(), records);
    const byShard = groupByShard(delivered, shardMeters, owned);
    const results = await unlessStopped(this.#stepShards(step, byShard), this.#options.stopNow);
    if (results === STOPPED) return false;
    // 5. Records, in shard order.
    const stepRecords = this.#recordsOf(step, byShard, results, records);
    this.tally.add(stepRecords);
    for (const plugin of plugins) plugin.afterStep?.(run, stepRecords);
    const { sink } = this.#run;
    await sink.commands(stepRecords.commands);
    await sink.alerts(stepRecords.alerts);
    await sink.supplyEvents(stepRecords.supply);
    await sink.utrn(stepRecords.utrn);
    return true;
  }

  #stepShards(step: number, byShard: readonly PendingCommand[][]): Promise<ShardStepResult[]> {
    const { spec, fleet, pool, shardMeters, stepsPerDay, timeline, owned } = this.#run;
    const consumptionMultiplier = timeline.consumptionMultiplier(step);
    const hourOfDay = Math.floor((((step % stepsPerDay) * spec.stepMinutes) / 60) % 24);
    const tasks = byShard.map((commands, i) => {
      const shard = owned.firstShard + i;
      return {
        shard,
        run: () =>
          pool.stepShard(
            {
              lo: shard * shardMeters,
              hi: Math.min(fleet.meters, (shard + 1) * shardMeters),
              hourOfDay,
              hours: spec.stepMinutes / 60,
              consumptionMultiplier,
              ...commandBatchOf(commands),
            },
            { shard, step },
          ),
      };
    });
    // A hung worker never answers: the watchdog fails the run and stops the workers at once.
    return this.#watchdog.watch(step, tasks, () => pool.destroy());
  }

  /** The shards' outcomes recorded with their commands, alerts routed by the DCC, batches joined. */
  #recordsOf(
    step: number,
    byShard: readonly PendingCommand[][],
    results: readonly ShardStepResult[],
    records: CommandRecordBatchBuilder,
  ): Required<StepRecords> {
    const { fleet, dcc } = this.#run;
    results.forEach((result, shard) => {
      const commands = byShard[shard] as PendingCommand[];
      commands.forEach((command, i) => {
        const reason = result.outcomes[i] as number;
        recordCommand(records, step, command, reason);
        settleTopUp(fleet, command, reason === OUTCOME_CODE.ACCEPTED);
      });
      this.#topUpRequests.push(result.topUps);
    });
    const routed = dcc.routeAlerts(concatBatches(results.map((r) => r.alerts)));
    this.tally.alertsDropped += routed.dropped;
    const utrnRows = results.flatMap((r) => (r.utrn ? [r.utrn] : []));
    return {
      commands: records.finish(),
      alerts: routed.delivered,
      supply: concatBatches(results.map((r) => r.supply)),
      utrn: utrnRows.length > 0 ? concatBatches(utrnRows) : emptyUtrnBatch(),
    };
  }

  /** What plug-ins see of the run at `step`. */
  #context(step: number): RunContext {
    const { spec, fleet, parties, steps, stepsPerDay, dcc, owned } = this.#run;
    const stepHours = spec.stepMinutes / 60;
    return {
      spec,
      fleet,
      owned: { lo: owned.lo, hi: owned.hi },
      parties,
      step,
      steps,
      stepsPerDay,
      stepAt: (day, hour) => stepAt(spec, day, hour),
      send: (command) => this.#intake.send(command, step),
      dcc: dcc.spec,
      dccOutage: (hours) => {
        if (!(Number.isFinite(hours) && hours > 0)) {
          throw new InvalidArgumentError(`a DCC outage lasts > 0 hours, got ${hours}`);
        }
        dcc.outageUntil(step + Math.ceil(hours / stepHours));
      },
      random: (stream, entity) => randomStream(spec.seed, stream, entity),
      count: (figure, amount = 1) => {
        this.figures[figure] = (this.figures[figure] ?? 0) + amount;
      },
      peak: (figure, value) => {
        this.peakFigures.add(figure);
        this.figures[figure] = Math.max(this.figures[figure] ?? value, value);
      },
    };
  }
}
