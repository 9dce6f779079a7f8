/**
 * Progress of a long run on stderr: on a terminal, one line redrawn in place (a bar, the step,
 * simulated time, meters/s, commands/s, ETA) at most ten times a second; elsewhere (CI, a log
 * file) a plain line every tenth of the run or every 15 s, so logs stay short and readable.
 * The slow stages of setup (the fleet built, the meters rows written) get a line each, so a user
 * sees where the time before and beside the steps goes.
 */
import type { RunProgress, RunStage } from '@gbfleet/core';
import type { CliIo } from './io.js';

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 15_000;
const BAR_WIDTH = 24;

export interface ProgressReporter {
  update(progress: RunProgress): void;
  /** A stage of the run passed: a line of its own, above the redrawn one on a terminal. */
  stage(stage: RunStage): void;
  /** Ends the redrawn line (call before printing anything else). */
  done(): void;
}

export function progressReporter(io: CliIo, now: () => number = () => performance.now()): ProgressReporter {
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastTenth = 0;
  /** The redrawn line on the terminal now, if any. */
  let drawn: string | undefined;
  return {
    update(p) {
      const t = now();
      const finished = p.step === p.steps;
      if (io.errIsTty) {
        if (!finished && t - lastAt < TTY_INTERVAL_MS) return;
        lastAt = t;
        drawn = progressLine(p, true);
        io.err(`\r${drawn}\u001b[K`);
        return;
      }
      const tenth = Math.floor((p.step * 10) / p.steps);
      if (!finished && tenth === lastTenth && t - lastAt < PLAIN_INTERVAL_MS) return;
      lastTenth = tenth;
      lastAt = t;
      io.err(`${progressLine(p, false)}\n`);
    },
    stage(stage) {
      // Over the redrawn line, which is drawn again below it.
      if (drawn !== undefined) io.err(`\r${stageLine(stage)}\u001b[K\n${drawn}`);
      else io.err(`${stageLine(stage)}\n`);
    },
    done() {
      if (drawn !== undefined) io.err('\n');
      drawn = undefined;
    },
  };
}

export function stageLine(s: RunStage): string {
  const seconds = `${s.seconds.toFixed(1)} s`;
  switch (s.stage) {
    case 'fleet-built':
      return `run: fleet built: ${count(s.meters)} meters in ${seconds} (${s.workers} worker${s.workers === 1 ? '' : 's'})`;
    case 'fleet-restored':
      return `run: fleet restored: ${count(s.meters)} meters from the checkpoint in ${seconds}`;
    case 'meters-written':
      return `run: meters rows written: ${count(s.rows)} in ${seconds}, beside the steps`;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

export function progressLine(p: RunProgress, bar: boolean): string {
  const fraction = p.steps > 0 ? p.step / p.steps : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const head = bar ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : 'run: ';
  return (
    `${head}step ${p.step}/${p.steps} (${(fraction * 100).toFixed(0)}%)  ${p.simulatedTime.slice(0, 16).replace('T', ' ')}` +
    `  ${compact(p.meterStepsPerSecond)} meter-steps/s  ${compact(p.commandsPerSecond)} commands/s  ETA ${duration(p.etaSeconds)}`
  );
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
