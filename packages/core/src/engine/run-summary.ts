/**
 * What a run reports: its progress after each step, and the summary at the end, both from the
 * running tallies (never a fleet scan, except the vulnerable count at the end).
 */
import { countOffSupply } from '../fleet/fleet-snapshot.js';
import type { FleetState } from '../fleet/fleet-state.js';
import type { RunStatus } from '../run/run-records.js';
import type { ScenarioSpec } from '../scenario/scenario-spec.js';
import type { ChargeInputs } from './charges.js';
import type { RunTally } from './run-tally.js';

export interface RunProgress {
  step: number;
  steps: number;
  /** ISO time at the end of the step just done. */
  simulatedTime: string;
  elapsedSeconds: number;
  meterStepsPerSecond: number;
  commandsPerSecond: number;
  etaSeconds: number;
  /** The workers' heaps in use after their last daily collection, bytes; null before the first. */
  workerHeapUsedBytes: number | null;
}

/** A slow stage of a run's setup, passed, and how long it took (RunOptions.onStage). */
export type RunStage =
  /** The owned meters built by the pool's workers. */
  | { stage: 'fleet-built'; meters: number; seconds: number; workers: number }
  /** A resumed run's fleet put back from its checkpoint. */
  | { stage: 'fleet-restored'; meters: number; seconds: number }
  /** The `meters` rows all written, behind the steps, since they were started. */
  | { stage: 'meters-written'; rows: number; seconds: number };

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
  /** The figures that are maxima (`RunContext.peak`): segments' are merged by max; the rest add up. */
  peakFigures: string[];
  /**
   * A segment's run: which one, its meters [firstMeter, firstMeter + meters), and what the merge
   * needs to compute the whole run's charges. The tallies above count this segment's meters only.
   */
  segment?: { index: number; count: number; firstMeter: number; meters: number; chargeInputs: ChargeInputs };
  throughput: {
    wallSeconds: number;
    buildSeconds: number;
    meterStepsPerSecond: number;
    commandsPerSecond: number;
  };
}

/** The wall clock of a run: when it started, and when its step loop started. */
export interface RunClock {
  /** performance.now() at the start of the run (setup included). */
  started: number;
  /** performance.now() when the first step began. */
  loopStarted: number;
  buildSeconds: number;
  /** Where this process's loop began: a resumed run's rates count only the steps and commands it ran. */
  firstStep: number;
  commandsBefore: number;
}

/** Simulated time at the end of `steps` steps, as ISO text. */
function simulatedAt(spec: ScenarioSpec, steps: number): string {
  return new Date(Date.parse(spec.start) + steps * spec.stepMinutes * 60_000).toISOString();
}

/** Progress after `done` of `steps` steps. */
export function progressOf(
  spec: ScenarioSpec,
  meters: number,
  clock: RunClock,
  tally: RunTally,
  done: number,
  steps: number,
  workerHeapUsedBytes: number | null = null,
): RunProgress {
  const elapsed = (performance.now() - clock.loopStarted) / 1000;
  const ran = done - clock.firstStep;
  return {
    step: done,
    steps,
    simulatedTime: simulatedAt(spec, done),
    elapsedSeconds: elapsed,
    meterStepsPerSecond: elapsed > 0 ? (meters * ran) / elapsed : 0,
    commandsPerSecond: elapsed > 0 ? (tally.commands - clock.commandsBefore) / elapsed : 0,
    etaSeconds: ran > 0 ? (elapsed / ran) * (steps - done) : 0,
    workerHeapUsedBytes,
  };
}

export interface SummaryInput {
  spec: ScenarioSpec;
  fleet: FleetState;
  status: RunStatus;
  workers: number;
  shards: number;
  stepsPlanned: number;
  stepsRun: number;
  tally: RunTally;
  figures: Record<string, number>;
  peakFigures: string[];
  /** Commands the DCC still holds at the end. */
  stillHeld: number;
  clock: RunClock;
  segment?: RunSummary['segment'];
}

export function summarise(input: SummaryInput): RunSummary {
  const { spec, fleet, tally, clock, stepsRun } = input;
  const now = performance.now();
  const loopSeconds = (now - clock.loopStarted) / 1000;
  return {
    status: input.status,
    scenario: spec.name,
    seed: spec.seed,
    meters: fleet.meters,
    workers: input.workers,
    shards: input.shards,
    stepsPlanned: input.stepsPlanned,
    stepsRun,
    simulatedStart: simulatedAt(spec, 0),
    simulatedEnd: simulatedAt(spec, stepsRun),
    commands: { total: tally.commands, byReason: tally.byReason, stillHeld: input.stillHeld },
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
      vulnerableOffSupplyAtEnd: countOffSupply(
        fleet,
        true,
        input.segment
          ? { lo: input.segment.firstMeter, hi: input.segment.firstMeter + input.segment.meters }
          : undefined,
      ),
      peakOffSupply: tally.peakOffSupply,
    },
    topUps: { requested: tally.topUpsRequested, sent: tally.topUpsSent, notVended: tally.topUpsNotVended },
    figures: input.figures,
    peakFigures: input.peakFigures,
    ...(input.segment ? { segment: input.segment } : {}),
    throughput: {
      wallSeconds: (now - clock.started) / 1000,
      buildSeconds: clock.buildSeconds,
      meterStepsPerSecond:
        loopSeconds > 0 ? ((input.segment?.meters ?? fleet.meters) * (stepsRun - clock.firstStep)) / loopSeconds : 0,
      commandsPerSecond: loopSeconds > 0 ? (tally.commands - clock.commandsBefore) / loopSeconds : 0,
    },
  };
}

/** Segments' figures as the whole run's: maxima by max, the rest added up. */
export function mergeFigures(
  parts: ReadonlyArray<Pick<RunSummary, 'figures' | 'peakFigures'>>,
): Record<string, number> {
  const peaks = new Set(parts.flatMap((p) => p.peakFigures));
  const out: Record<string, number> = {};
  for (const part of parts) {
    for (const [figure, value] of Object.entries(part.figures)) {
      const before = out[figure];
      out[figure] = before === undefined ? value : peaks.has(figure) ? Math.max(before, value) : before + value;
    }
  }
  return out;
}
