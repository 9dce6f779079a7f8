import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHolder, probeDatabaseLock } from '../src/database-lock.ts';
import { withHeldDatabase } from './helpers/held-database.ts';
import { withTempDir } from './helpers/run-db.ts';

test('a file another process holds is held, with its PID; once released it is free', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'live.duckdb.partial');
    await withHeldDatabase(file, async (pid) => {
      const lock = await probeDatabaseLock(file);
      assert.is(lock.state, 'held');
      if (lock.state !== 'held') return;
      assert.is(lock.pid, pid);
      assert.match(describeHolder(lock), new RegExp(`process ${pid}`));
    });
    assert.equal(await probeDatabaseLock(file), { state: 'free' });
  });
});

test('a file that is not a DuckDB database is unreadable, not held', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'junk.duckdb.partial');
    writeFileSync(file, 'not a database at all, just some text that is long enough to read');
    const lock = await probeDatabaseLock(file);
    assert.is(lock.state, 'unreadable');
  });
});

test('describeHolder without a PID says another process', () => {
  assert.is(describeHolder({ pid: null, program: null }), 'another process');
});

test.run();
