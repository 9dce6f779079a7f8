/**
 * Which segment this process runs: `--segment K/N`, or the scheduler's own variables in place of
 * K (and N where the scheduler gives it). Pure: the environment is passed in.
 *
 *   --segment K/N                                   any scheduler, or by hand
 *   --segments N  with JOB_COMPLETION_INDEX          Kubernetes Indexed Job
 *   --segments N  with AWS_BATCH_JOB_ARRAY_INDEX     AWS Batch array job
 *   --segment auto (or --segments N) with SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT
 *                                                   Slurm job array (K counts from SLURM_ARRAY_TASK_MIN)
 */
import type { SegmentSpec } from '@gbfleet/core';
import { UsageError } from './errors.js';

/** The schedulers' index variables, in the order they are looked for. */
const INDEX_VARIABLES = [
  { name: 'JOB_COMPLETION_INDEX', scheduler: 'Kubernetes Indexed Job' },
  { name: 'AWS_BATCH_JOB_ARRAY_INDEX', scheduler: 'AWS Batch array job' },
  { name: 'SLURM_ARRAY_TASK_ID', scheduler: 'Slurm job array' },
] as const;

const MAX_SEGMENTS = 100_000;

export function segmentOf(
  flags: { segment?: string | boolean; segments?: string | boolean },
  env: Readonly<Record<string, string | undefined>>,
): SegmentSpec | undefined {
  const given = typeof flags.segment === 'string' ? flags.segment.trim() : undefined;
  const segments = flags.segments === undefined ? undefined : countOf('--segments', String(flags.segments));
  if (given === undefined && segments === undefined) return undefined;
  if (given !== undefined && given !== 'auto') {
    const match = /^(\d+)\/(\d+)$/.exec(given);
    if (!match) {
      throw new UsageError(
        `--segment ${JSON.stringify(given)}: expected K/N, segment K (counting from 0) of N, for example 0/4; or "auto" under a scheduler`,
      );
    }
    const index = Number(match[1]);
    const count = countOf('--segment N', match[2] as string);
    if (index >= count) throw new UsageError(`--segment ${given}: K must be below N (segments are 0 to ${count - 1})`);
    if (segments !== undefined && segments !== count) {
      throw new UsageError(`--segment ${given} and --segments ${segments} disagree on N`);
    }
    return { index, count };
  }
  return fromScheduler(segments, env);
}

function fromScheduler(segments: number | undefined, env: Readonly<Record<string, string | undefined>>): SegmentSpec {
  const found = INDEX_VARIABLES.find((v) => env[v.name] !== undefined && env[v.name] !== '');
  if (!found) {
    throw new UsageError(
      `${segments === undefined ? '--segment auto' : `--segments ${segments}`} needs the segment index from a scheduler (${INDEX_VARIABLES.map((v) => `${v.name} for a ${v.scheduler}`).join(', ')}), and none is set; or give --segment K/N`,
    );
  }
  let index = indexOf(found.name, env[found.name] as string);
  let count = segments;
  if (found.name === 'SLURM_ARRAY_TASK_ID') {
    // An array may start anywhere (--array=1-4): K counts from its first task.
    const min = env.SLURM_ARRAY_TASK_MIN;
    if (min !== undefined && min !== '') index -= indexOf('SLURM_ARRAY_TASK_MIN', min);
    const slurmCount = env.SLURM_ARRAY_TASK_COUNT;
    if (slurmCount !== undefined && slurmCount !== '') {
      const n = countOf('SLURM_ARRAY_TASK_COUNT', slurmCount);
      if (count !== undefined && count !== n) {
        throw new UsageError(`--segments ${count} but the Slurm array has ${n} tasks (SLURM_ARRAY_TASK_COUNT)`);
      }
      count = n;
    }
  }
  if (count === undefined) {
    throw new UsageError(`${found.name} gives segment ${index}, but not how many there are: add --segments N`);
  }
  if (index < 0 || index >= count) {
    throw new UsageError(`${found.name} gives segment ${index}, outside 0 to ${count - 1} of --segments ${count}`);
  }
  return { index, count };
}

function countOf(what: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${what} ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  const n = Number(text.trim());
  if (n < 1 || n > MAX_SEGMENTS) throw new UsageError(`${what} ${n}: expected 1 to ${MAX_SEGMENTS}`);
  return n;
}

function indexOf(variable: string, text: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`${variable}=${JSON.stringify(text)}: expected a whole number ≥ 0`);
  return Number(text.trim());
}
