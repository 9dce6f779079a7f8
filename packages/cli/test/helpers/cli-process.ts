/**
 * `gbfleet` in a process of its own, run from the TypeScript sources, for tests that need what
 * an in-process run cannot give: a signal from outside, a second live process, a PID.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../../..');

/**
 * The command line that starts `gbfleet` from the sources, from any working directory: tsx is
 * named by its resolved URL because `--import tsx` resolves from the cwd, and a scheduler's job
 * (deploy/slurm) runs wherever it was submitted.
 */
export const gbfleetFromSource: readonly string[] = [
  process.execPath,
  '--conditions=source',
  '--import',
  import.meta.resolve('tsx'),
  join(root, 'packages/cli/src/main.ts'),
];

/** Starts `gbfleet ARGS…` at the repository root; stdin is ignored, stdout and stderr piped unless told. */
export function spawnGbfleet(
  args: readonly string[],
  stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const [node, ...start] = gbfleetFromSource;
  return spawn(node as string, [...start, ...args], { cwd: root, stdio, env });
}

/** The objects of JSON Lines output (`--json` of `runs` and `query`), as the caller expects them. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
