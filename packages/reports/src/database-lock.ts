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
    const message = (error as Error).message ?? String(error);
    if (!LOCK_REFUSAL.test(message)) return { state: 'unreadable', message: message.split('\n')[0] ?? message };
    const holder = HOLDER.exec(message);
    return { state: 'held', pid: holder ? Number(holder[2]) : null, program: holder?.[1] ?? null };
  } finally {
    db?.close();
  }
}

/** "process 1234 (/usr/bin/node)", or "another process" when DuckDB did not say. */
export function describeHolder(lock: { pid: number | null; program: string | null }): string {
  if (lock.pid === null) return 'another process';
  return `process ${lock.pid}${lock.program ? ` (${lock.program})` : ''}`;
}
