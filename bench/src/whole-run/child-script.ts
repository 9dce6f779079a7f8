/**
 * Runs a whole-run child script (a sibling of this module: built `.js`, or `.ts` under tsx) in a
 * fresh Node process and reads the JSON on its last stdout line. A fresh process per run is what
 * makes a run's maxRSS its own. A failed child is an Error with the end of its stderr.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, from bench/dist/whole-run/ (built) or bench/src/whole-run/ (tsx). */
export const REPO_ROOT = new URL('../../../', import.meta.url);

export async function childScript<T>(script: string, args: readonly string[]): Promise<T> {
  const own = new URL(import.meta.url).pathname;
  const entry = new URL(own.endsWith('.ts') ? script.replace(/\.js$/, '.ts') : script, import.meta.url).pathname;
  try {
    const { stdout } = await run(process.execPath, [...process.execArgv, entry, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').pop() as string) as T;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `${script} ${args.join(' ')} failed: ${e.stderr?.trim().split('\n').slice(-5).join('\n') || e.message}`,
    );
  }
}

/** Meters as a figure's name shows them: 40k, 1M, 10M. */
export function metersLabel(meters: number): string {
  return meters >= 1e6 ? `${meters / 1e6}M` : `${meters / 1e3}k`;
}
