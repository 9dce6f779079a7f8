/**
 * A small tmpfs of our own, for tests of a disk that fills or a place that is read-only: made
 * real with mount(8), because only a real file system gives DuckDB the ENOSPC and EROFS it meets
 * in production. Mounting needs root (CAP_SYS_ADMIN); where it is refused, `withTmpfs` prints why
 * and runs nothing, so the suite skips rather than fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let refused: string | null | undefined;

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Runs `body` with a fresh tmpfs of `size` (mount's size, e.g. '1m') mounted on a temporary
 * folder, read-only when asked, and unmounts it after, whatever happens. Returns false (having
 * printed the reason) when mounting is not allowed here.
 */
export async function withTmpfs(
  size: string,
  body: (dir: string) => Promise<void>,
  options: { readOnly?: boolean } = {},
): Promise<boolean> {
  if (refused) return false;
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-tmpfs-'));
  try {
    mount(['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
    refused = null;
  } catch (error) {
    refused = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    console.log(`  skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): ${refused}`);
    rmSync(dir, { recursive: true, force: true });
    return false;
  }
  try {
    if (options.readOnly) remountReadOnly(dir);
    await body(dir);
  } finally {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
  return true;
}

/** Makes the tmpfs at `dir` read-only from now on. */
export function remountReadOnly(dir: string): void {
  mount(['-o', 'remount,ro', dir]);
}

/** Gives the tmpfs at `dir` a new size (mount's size, e.g. '8m'), as a user freeing space would. */
export function resizeTmpfs(dir: string, size: string): void {
  mount(['-o', `remount,size=${size}`, dir]);
}

/** Fills the file system under `dir` until only about `bytes` are free (a filler file in `dir`). */
export function leaveFree(dir: string, bytes: number): void {
  const { bavail, bsize } = statfsSync(dir);
  const fill = Math.max(0, bavail * bsize - bytes);
  writeFileSync(join(dir, '.filler'), Buffer.alloc(fill));
}
