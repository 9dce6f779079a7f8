import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRunDatabase, RunDatabase } from '../src/index.ts';
import { alerts, PARTIES, sampleMeta, withTempDir } from './helpers/run-db.ts';

async function withFinishedRun<T>(work: (path: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    try {
      await db.appendParties(PARTIES);
      await db.appendAlerts(alerts([[3, 7, 2, 1, 2, 0]]));
      await db.finish('completed');
    } finally {
      await db.abandon();
    }
    return work(path);
  });
}

test('columns, types and plain JS rows', async () => {
  await withFinishedRun(async (path) => {
    const r = await queryRunDatabase(
      path,
      'SELECT meter_id, code, t, carries_reads, recipient::BIGINT AS r FROM alerts',
    );
    assert.equal(r.columns, ['meter_id', 'code', 't', 'carries_reads', 'r']);
    assert.equal(r.types[0], 'UINTEGER');
    assert.match(r.types[1] as string, /^ENUM\('LOW_CREDIT'/);
    assert.equal(r.types.slice(2), ['TIMESTAMP', 'BOOLEAN', 'BIGINT']);
    assert.equal(r.rows[0]?.slice(0, 2), [7, 'EMERGENCY_CREDIT_EXHAUSTED']);
    assert.equal((r.rows[0]![2] as Date).toISOString(), '2024-01-01T03:00:00.000Z');
    assert.equal(r.rows[0]?.slice(3), [false, 1n]);
  });
});

test('bad SQL gives GBF_QUERY with DuckDB’s message', async () => {
  await withFinishedRun(async (path) => {
    const syntax = await queryRunDatabase(path, 'selec 1').catch((e) => e);
    assert.is(syntax.code, 'GBF_QUERY');
    assert.match(syntax.message, /^query failed: Parser Error: syntax error at or near "selec"/);
    assert.is(syntax.sql, 'selec 1');
    const table = await queryRunDatabase(path, 'SELECT * FROM no_such_table').catch((e) => e);
    assert.is(table.code, 'GBF_QUERY');
    assert.match(table.message, /Table with name no_such_table does not exist/);
  });
});

test('the file is opened read-only: writes are refused', async () => {
  await withFinishedRun(async (path) => {
    const error = await queryRunDatabase(path, 'DELETE FROM alerts').catch((e) => e);
    assert.is(error.code, 'GBF_QUERY');
    assert.match(error.message, /read-only/i);
    assert.equal((await queryRunDatabase(path, 'SELECT count(*) FROM alerts')).rows, [[1n]]);
  });
});

test('a missing file gives GBF_RUN_DB_MISSING, with a hint when only the .partial exists', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'gone.duckdb');
    const missing = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.is(missing.code, 'GBF_RUN_DB_MISSING');
    assert.match(missing.message, /no run database at .*gone\.duckdb$/);
    writeFileSync(`${path}.partial`, '');
    const partial = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.match(partial.message, /still being written, or crashed/);
    mkdirSync(join(dir, 'adir'));
    const directory = await queryRunDatabase(join(dir, 'adir'), 'SELECT 1').catch((e) => e);
    assert.match(directory.message, /is a directory/);
  });
});

test('a file that is not a DuckDB database gives a clear error', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'text.duckdb');
    writeFileSync(path, 'hello, I am not a database');
    const error = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB');
    assert.match(error.message, /cannot open .*text\.duckdb/);
  });
});

test('values JS cannot hold come back as DuckDB text', async () => {
  await withFinishedRun(async (path) => {
    const r = await queryRunDatabase(
      path,
      `SELECT 'infinity'::TIMESTAMP AS a, 170141183460469231731687303715884105727::HUGEINT AS b`,
    );
    assert.equal(r.rows, [['infinity', 170141183460469231731687303715884105727n]]);
  });
});

test.run();
