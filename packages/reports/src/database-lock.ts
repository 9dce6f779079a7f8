/**
 * Whether another process holds a DuckDB file open: DuckDB takes an OS file lock on open
 * (exclusive for writing, shared for reading), and its refusal names the holder's PID. So a
 * `.partial` whose lock is held belongs to a live run; one that opens belongs to a dead one.
 *
 * The probe opens the file READ_ONLY and closes it at once: it never changes the file, and
 * it does not block a writer for longer than the open. Within one process DuckDB's locks do
 * not conflict (POSIX locks are per process), so only other processes are seen.
 */
import { Db } from './db.js';

export type DatabaseLock =
  /** No other process has it open. */
  | { state: 'free' }
  /** Another process has it open; `pid` and `program` when DuckDB named them. */
  | { state: 'held'; pid: number | null; program: string | null }
  /** It could not be opened for another reason (not a DuckDB file, a newer format, …). */
  | { state: 'unreadable'; message: string };

const LOCK_REFUSAL = /Could not set lock on file/i;
const HOLDER = /Conflicting lock is held in (.+?) \(PID (\d+)\)/;

/** Probes `file`'s DuckDB lock (read-only, closed at once). */
export async function probeDatabaseLock(file: string): Promise<DatabaseLock> {
  let db: Db | undefined;
  try {
    db = await Db.open(file, { readOnly: true, threads: 1, memoryLimit: '64MB' });
    return { state: 'free' };
  } catch (error) {
    const held = lockHolderOf(error);
    if (held) return held;
    const message = (error as Error).message ?? String(error);
    return { state: 'unreadable', message: message.split('\n')[0] ?? message };
  } finally {
    db?.close();
  }
}

/** "process 1234 (/usr/bin/node)", or "another process" when DuckDB did not say. */
export function describeHolder(lock: { pid: number | null; program: string | null }): string {
  if (lock.pid === null) return 'another process';
  return `process ${lock.pid}${lock.program ? ` (${lock.program})` : ''}`;
}

/**
 * Takes DuckDB's exclusive lock on `file` (a DuckDB file made for it if missing) and holds it
 * until `release()`; or says who holds it. DuckDB's lock is an OS lock (fcntl), so it goes with
 * the process that held it, however that process ends: there is no stale lock to clean up, and
 * no lock scheme of our own. The file is never deleted: an unlink could let two holders in.
 */
export async function takeDatabaseLock(
  file: string,
): Promise<{ state: 'taken'; release: () => void } | Extract<DatabaseLock, { state: 'held' }>> {
  try {
    const db = await Db.open(file, { threads: 1, memoryLimit: '64MB' });
    return { state: 'taken', release: () => db.close() };
  } catch (error) {
    const held = lockHolderOf(error);
    if (!held) throw error;
    return held;
  }
}

/** The holder DuckDB names when an open failed on another process's lock; null for any other failure. */
export function lockHolderOf(error: unknown): Extract<DatabaseLock, { state: 'held' }> | null {
  const message = (error as Error | null)?.message ?? String(error);
  if (!LOCK_REFUSAL.test(message)) return null;
  const holder = HOLDER.exec(message);
  return { state: 'held', pid: holder ? Number(holder[2]) : null, program: holder?.[1] ?? null };
}
