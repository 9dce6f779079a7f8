/**
 * Refuses, before anything runs, a run that would not fit in memory: the engine's estimate
 * (core's estimateRunMemory) against what the machine has free, or against `--max-memory`. A
 * run the kernel kills at 3 a.m. loses the night; a refusal at once says what to change.
 */
import { freemem } from 'node:os';
import { estimateRunMemory, type ScenarioSpec, type SegmentSpec } from '@gbfleet/core';
import { CliError, UsageError } from './errors.js';

/** The run needs more memory than it may use: nothing ran, exit 2. */
export class TooBigError extends CliError {
  constructor(message: string) {
    super('GBF_TOO_BIG', message, 2);
    this.name = 'TooBigError';
  }
}

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** `--max-memory` as bytes: a number with an optional K, M, G or T (binary: 12G = 12 GiB). */
export function parseMemorySize(flag: string, value: string | boolean): number {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(value.trim()) : null;
  const bytes = match ? Number(match[1]) * (UNITS[(match[2] as string).toUpperCase()] as number) : Number.NaN;
  if (!(bytes >= 2 ** 20 && bytes <= 2 ** 50)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a memory size: use, for example, 12G or 512M`);
  }
  return Math.round(bytes);
}

/** Memory as a user reads it: "9.8 GB" (GiB, as free(1) -h counts). */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

/**
 * Throws TooBigError when the run would need more than `maxMemory` (default: the memory free now,
 * which counts reclaimable cache, as the kernel's MemAvailable does).
 */
export function checkRunFits(
  spec: ScenarioSpec,
  options: { workers: number; segment?: SegmentSpec | undefined; maxMemory?: number | undefined },
): void {
  const estimate = estimateRunMemory(spec, options);
  const budget = options.maxMemory ?? freemem();
  if (estimate.bytes <= budget) return;
  const parts = estimate.parts.map((p) => `${p.what} ${formatBytes(p.bytes)}`).join(', ');
  const against = options.maxMemory === undefined ? 'this machine has free' : '--max-memory allows';
  throw new TooBigError(
    `${spec.name}: ${estimate.meters.toLocaleString('en-GB')} meters need about ${formatBytes(estimate.bytes)} (${parts}, and a margin), more than the ${formatBytes(budget)} ${against}; ` +
      'run fewer meters (--meters), split the run into segments on several machines (--segments N, docs/distributed.md), or free some memory',
  );
}
