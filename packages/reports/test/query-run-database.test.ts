import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRunDatabase, queryRunDatabaseStatements, RunDatabase } from '../src/index.ts';
import { withHeldDatabase } from './helpers/held-database.ts';
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

test('a missing file gives GBF_RUN_DB_MISSING; a .partial says whether its run is alive, and its PID', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'gone.duckdb');
    const missing = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.is(missing.code, 'GBF_RUN_DB_MISSING');
    assert.match(missing.message, /no run database at .*gone\.duckdb$/);
    await withHeldDatabase(`${path}.partial`, async (pid) => {
      const live = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
      assert.is(live.code, 'GBF_RUN_DB_PARTIAL');
      assert.equal([live.live, live.pid], [true, pid]);
      assert.match(
        live.message,
        new RegExp(`gone\\.duckdb is not finished yet: its run is still being written by process ${pid}\\b`),
      );
    });
    const dead = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.is(dead.code, 'GBF_RUN_DB_PARTIAL');
    assert.equal([dead.live, dead.pid], [false, null]);
    assert.match(
      dead.message,
      /gone\.duckdb was never finished: only .*gone\.duckdb\.partial is there, from a run that is not running any more/,
    );
    writeFileSync(`${path}.partial`, '');
    const empty = await queryRunDatabase(path, 'SELECT 1').catch((e) => e);
    assert.match(empty.message, /not running any more \(no process holds it/);
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

test('a query reaches nothing outside the run: no file written or read, no extension, no setting', async () => {
  await withFinishedRun(async (path) => {
    const outside = join(tmpdir(), `gbfleet-escape-${randomBytes(6).toString('hex')}`);
    // DuckDB refuses a path outside the run itself, as it prepares the statement; the rest are
    // refused by kind before they run.
    const denied = /Cannot access file .* file system operations are disabled/;
    const attacks: Array<[string, RegExp]> = [
      [`COPY (SELECT 42) TO '${outside}.csv'`, denied],
      [`COPY alerts TO '${outside}.parquet' (FORMAT parquet)`, denied],
      // DuckDB lets a read-only instance write the database's own WAL path: COPY must not.
      [`COPY (SELECT 42) TO '${path}.wal' (FORMAT csv)`, /COPY is not allowed: .*writes no files/],
      [`EXPLAIN ANALYZE COPY (SELECT 42) TO '${path}.wal'`, /EXPLAIN ANALYZE is not allowed/],
      [`ATTACH '${outside}.duckdb' AS other`, /ATTACH is not allowed|Cannot access file/],
      [`EXPORT DATABASE '${outside}'`, /EXPORT DATABASE is not allowed|Cannot access/],
      [`SELECT * FROM read_text('/etc/hostname')`, denied],
      [`SELECT * FROM read_csv('/etc/passwd', sep = ':')`, denied],
      [`SELECT * FROM glob('/etc/*')`, denied],
      ['INSTALL httpfs', /INSTALL or LOAD is not allowed: .*loads no extension/],
      ['LOAD httpfs', /INSTALL or LOAD is not allowed/],
      ['SET enable_external_access = true', /configuration has been locked/],
      ['SET lock_configuration = false', /configuration has been locked/],
      [`SET enable_external_access = true; SELECT * FROM read_text('/etc/hostname')`, /configuration has been locked/],
      ['RESET enable_external_access', /configuration has been locked/],
      [`SELECT 1; COPY (SELECT 42) TO '${outside}.csv'`, denied],
      [`SELECT 1; COPY (SELECT 42) TO '${path}.wal'`, /COPY is not allowed/],
    ];
    for (const [sql, message] of attacks) {
      const error = await queryRunDatabaseStatements(path, sql).catch((e) => e);
      assert.instance(error, Error, sql);
      assert.is(error.code, 'GBF_QUERY_REFUSED', `${sql}: ${error.message}`);
      assert.match(error.message, /^query refused: /, sql);
      assert.match(error.message, message, sql);
      if (sql.includes('; ')) continue;
      const single = await queryRunDatabase(path, sql).catch((e) => e);
      assert.is(single.code, 'GBF_QUERY_REFUSED', `${sql} (one statement): ${single.message}`);
    }
    for (const suffix of ['.csv', '.parquet', '.duckdb', '']) assert.not.ok(existsSync(`${outside}${suffix}`), suffix);
    assert.equal(readdirSync(dirname(path)), ['run.duckdb'], 'nothing was written beside the run');
    // Ordinary queries, the stored views and DuckDB's own metadata still work under the lockdown.
    assert.equal((await queryRunDatabase(path, 'SELECT count(*) FROM alerts_named')).rows, [[1n]]);
    assert.ok((await queryRunDatabase(path, 'SELECT * FROM credit_cover')).columns.includes('socialised_pence'));
    assert.ok((await queryRunDatabase(path, 'SHOW TABLES')).rows.length > 5);
    assert.equal((await queryRunDatabase(path, "SELECT current_setting('enable_external_access')")).rows, [[false]]);
    assert.equal((await queryRunDatabase(path, 'EXPLAIN SELECT 1')).columns, ['explain_key', 'explain_value']);
  });
});

test('several statements: each result in order; the single-result call refuses them', async () => {
  await withFinishedRun(async (path) => {
    const results = await queryRunDatabaseStatements(
      path,
      'SELECT 1 AS a; CREATE TEMP VIEW two AS SELECT 2 AS b; SELECT * FROM two',
    );
    assert.equal(
      results.map((r) => [r.columns, r.rows]),
      [
        [['a'], [[1]]],
        [['Count'], []],
        [['b'], [[2]]],
      ],
    );
    const error = await queryRunDatabase(path, 'SELECT 1; SELECT 2').catch((e) => e);
    assert.is(error.code, 'GBF_QUERY');
    assert.match(error.message, /holds 2 statements/);
    assert.equal((await queryRunDatabase(path, 'SELECT 1;')).rows, [[1]]);
    const none = await queryRunDatabaseStatements(path, ' ; ').catch((e) => e);
    assert.match(none.message, /no SQL statement/);
  });
});

test.run();
