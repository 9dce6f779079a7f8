/**
 * The DuckDB boundary itself: an append that fails part-way (after whole data chunks went in) is
 * rolled back entirely, and a source that cannot fill a column is refused before any write. An
 * append with a constant column goes through staging slices, and is all in or all out too.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHUNK_ROWS } from '../src/column-fill.ts';
import { Db, STAGING_ROWS } from '../src/db.ts';
import { withTempDir } from './helpers/run-db.ts';

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const db = await Db.open(join(dir, 'x.duckdb'));
    try {
      return await work(db);
    } finally {
      db.close();
    }
  });
}

test('a failure in the third chunk rolls back the two before it', async () => {
  await withDb(async (db) => {
    await db.run(`CREATE TYPE k AS ENUM ('a', 'b'); CREATE TABLE t (id UINTEGER, k k)`);
    const n = CHUNK_ROWS * 3;
    const ids = Uint32Array.from({ length: n }, (_, i) => i);
    const codes = new Uint8Array(n);
    codes[n - 1] = 9; // not a member: fails while filling the last chunk
    const error = await db
      .appendColumns(
        't',
        [
          { kind: 'number', data: ids },
          { kind: 'code', data: codes },
        ],
        n,
      )
      .catch((e) => e);
    assert.match(error.message, /code 9 is not in the ENUM/);
    assert.equal((await db.query('SELECT count(*) FROM t')).rows, [[0n]]);
    // The connection is left usable, outside any transaction.
    await db.appendColumns(
      't',
      [
        { kind: 'number', data: ids },
        { kind: 'code', data: new Uint8Array(n) },
      ],
      n,
    );
    assert.equal((await db.query('SELECT count(*) FROM t')).rows, [[BigInt(n)]]);
  });
});

test('a constant column is filled by DuckDB, over several staging slices, and a late failure rolls all back', async () => {
  await withDb(async (db) => {
    await db.run(`CREATE TYPE k AS ENUM ('a', 'b'); CREATE TABLE t (run VARCHAR NOT NULL, id UINTEGER, k k)`);
    const n = STAGING_ROWS + 3 * CHUNK_ROWS + 5;
    const columns = (codes: Uint8Array) =>
      [
        { kind: 'constant-text', value: "run 'one'" },
        { kind: 'sequence', start: 10 },
        { kind: 'code', data: codes },
      ] as const;
    const bad = new Uint8Array(n);
    bad[n - 1] = 9; // in the second slice, after the first went into the table
    const error = await db.appendColumns('t', columns(bad), n).catch((e) => e);
    assert.match(error.message, /code 9 is not in the ENUM/);
    assert.equal((await db.query('SELECT count(*) FROM t')).rows, [[0n]]);
    const codes = Uint8Array.from({ length: n }, (_, i) => i % 2);
    await db.appendColumns('t', columns(codes), n);
    const r = await db.query(
      `SELECT count(*), count(DISTINCT run), min(run), min(id), max(id), sum(CAST(k = 'b' AS INTEGER)) FROM t`,
    );
    assert.equal(r.rows, [[BigInt(n), 1n, "run 'one'", 10, 10 + n - 1, BigInt(Math.floor(n / 2))]]);
    const staging = await db.query(`SELECT count(*) FROM duckdb_tables() WHERE temporary`);
    assert.equal(staging.rows, [[0n]], 'the staging table is gone');
  });
});

test('a source kind that does not fit the column type is refused before writing', async () => {
  await withDb(async (db) => {
    await db.run('CREATE TABLE t (id UINTEGER, name VARCHAR)');
    const error = await db
      .appendColumns(
        't',
        [
          { kind: 'number', data: [1] },
          { kind: 'flag', data: [1] },
        ],
        1,
      )
      .catch((e) => e);
    assert.match(error.message, /t column 2 is VARCHAR, which a 'flag' source cannot fill/);
    const missing = await db.appendColumns('t', [{ kind: 'number', data: [1] }], 1).catch((e) => e);
    assert.match(missing.message, /t has 2 columns but the batch gives 1/);
  });
});

test('a value out of the column range is refused with the transaction rolled back', async () => {
  await withDb(async (db) => {
    await db.run('CREATE TABLE t (v USMALLINT)');
    const error = await db.appendColumns('t', [{ kind: 'number', data: [1, 70000] }], 2).catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB');
    assert.match(error.message, /cannot append to t: number out of uint16 range/);
    assert.equal((await db.query('SELECT count(*) FROM t')).rows, [[0n]]);
  });
});

test('close is idempotent and later use is refused', async () => {
  await withTempDir(async (dir) => {
    const db = await Db.open(join(dir, 'y.duckdb'));
    db.close();
    db.close();
    const error = await db.query('SELECT 1').catch((e) => e);
    assert.match(error.message, /closed/);
  });
});

test('extensions are never auto-installed or auto-loaded', async () => {
  await withDb(async (db) => {
    const r = await db.query(
      `SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')`,
    );
    assert.equal(r.rows, [[false, false]]);
  });
});

test.run();
