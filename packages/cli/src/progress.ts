/**
 * Progress of a long run on stderr: on a terminal, one line redrawn in place (a bar, the step,
 * simulated time, meters/s, commands/s, ETA) at most ten times a second; elsewhere (CI, a log
 * file) a plain line every tenth of the run or every 15 s, so logs stay short and readable.
 */
import type { RunProgress } from '@gbfleet/core';
import type { CliIo } from './io.js';

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 15_000;
const BAR_WIDTH = 24;

export interface ProgressReporter {
  update(progress: RunProgress): void;
  /** Ends the redrawn line (call before printing anything else). */
  done(): void;
}

export function progressReporter(io: CliIo, now: () => number = () => performance.now()): ProgressReporter {
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastTenth = 0;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      const finished = p.step === p.steps;
      if (io.errIsTty) {
        if (!finished && t - lastAt < TTY_INTERVAL_MS) return;
        lastAt = t;
        drawn = true;
        io.err(`\r${progressLine(p, true)}\u001b[K`);
        return;
      }
      const tenth = Math.floor((p.step * 10) / p.steps);
      if (!finished && tenth === lastTenth && t - lastAt < PLAIN_INTERVAL_MS) return;
      lastTenth = tenth;
      lastAt = t;
      io.err(`${progressLine(p, false)}\n`);
    },
    done() {
      if (drawn) io.err('\n');
      drawn = false;
    },
  };
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
