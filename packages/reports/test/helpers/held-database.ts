/**
 * A DuckDB file held open for writing by another process (fixtures/hold-database.mjs), as a live
 * run holds its `.partial`: DuckDB's lock only conflicts across processes. Released in `finally`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'hold-database.mjs');

export async function withHeldDatabase<T>(file: string, work: (pid: number) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [FIXTURE, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    let seen = '';
    for await (const chunk of child.stdout) {
      seen += String(chunk);
      if (seen.includes('held')) break;
    }
    if (!seen.includes('held')) throw new Error(`the holder of ${file} did not start`);
    return await work(child.pid as number);
  } finally {
    const exited = once(child, 'exit');
    child.stdin.end();
    await exited;
  }
}
