/**
 * `gbfleet` in a process of its own, run from the TypeScript sources, for tests that need what
 * an in-process run cannot give: a signal from outside, a second live process, a PID.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../../..');

/** Starts `gbfleet ARGS…` at the repository root; stdin is ignored, stdout and stderr piped unless told. */
export function spawnGbfleet(args: readonly string[], stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: root,
    stdio,
  });
}

/** The objects of JSON Lines output (`--json` of `runs` and `query`), as the caller expects them. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
