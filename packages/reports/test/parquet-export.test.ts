/**
 * Parquet export from real engine runs: every table and every row comes back through DuckDB's
 * hive-partitioned reader, two runs share one folder, and bad input writes nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Db } from '../src/db.ts';
import { exportRunsToParquet, PARQUET_TABLES, queryRunDatabase } from '../src/index.ts';
import { engineRun, smallScenario } from './helpers/engine-run.ts';

// Two engine runs serve every test here; tests only read them.
const shared = mkdtempSync(join(tmpdir(), 'gbfleet-parquet-'));
let runs: Promise<[string, string]> | undefined;
const twoRuns = () => {
  runs ??= (async () => [
    await engineRun(shared, 'one.duckdb'),
    await engineRun(shared, 'two.duckdb', smallScenario({ seed: '8' })),
  ])();
  return runs;
};

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'gbfleet-parquet-out-'));
}

async function readBack(out: string, table: string): Promise<Array<[string, bigint]>> {
  const db = await Db.open(':memory:');
  try {
    const result = await db.query(
      `SELECT run_id, count(*) FROM read_parquet('${out}/${table}/*/*.parquet', hive_partitioning = true, hive_types = {'run_id': VARCHAR}) GROUP BY run_id ORDER BY run_id`,
    );
    return result.rows as Array<[string, bigint]>;
  } finally {
    db.close();
  }
}

test('two runs export to one hive-partitioned folder; every table and row reads back', async () => {
  const [one, two] = await twoRuns();
  const out = freshDir();
  const progress: string[] = [];
  const exported = await exportRunsToParquet([one, two], out, { onProgress: (line) => progress.push(line) });
  assert.equal(
    exported.map((r) => r.runId),
    ['one.duckdb-s7', 'two.duckdb-s8'],
  );
  assert.is(progress.length, 2);
  assert.equal(readdirSync(out).sort(), [...PARQUET_TABLES].sort(), 'no staging folder is left behind');
  for (const [run, file] of [
    [exported[0], one],
    [exported[1], two],
  ] as const) {
    for (const { table, rows, path } of run?.tables ?? []) {
      assert.ok(existsSync(path), path);
      const expected = await queryRunDatabase(file, `SELECT count(*) FROM ${table}`);
      assert.is(BigInt(rows), expected.rows[0]?.[0], `${table} of ${file}`);
    }
  }
  const commands = await readBack(out, 'commands');
  assert.is(commands.length, 2);
  assert.ok((commands[0]?.[1] ?? 0n) > 0n, 'the runs sent commands');
  // Values survive the trip: the first run's credit_cover view as the run database computes it.
  const db = await Db.open(':memory:');
  try {
    const fromParquet = await db.query(
      `SELECT party, month, socialised_pence FROM read_parquet('${out}/credit_cover/*/*.parquet', hive_partitioning = true, hive_types = {'run_id': VARCHAR}) WHERE run_id = 'one.duckdb-s7' ORDER BY ALL`,
    );
    const fromRun = await queryRunDatabase(one, 'SELECT party, month, socialised_pence FROM credit_cover ORDER BY ALL');
    assert.equal(fromParquet.rows, fromRun.rows);
  } finally {
    db.close();
  }
  rmSync(out, { recursive: true, force: true });
});

test('gbfleet query reads an export folder: every run together, with the named views', async () => {
  const [one, two] = await twoRuns();
  const out = freshDir();
  await exportRunsToParquet([one, two], out);
  const perRun = await queryRunDatabase(out, 'SELECT run_id, count(*) FROM commands GROUP BY ALL ORDER BY ALL');
  const fromOne = await queryRunDatabase(one, 'SELECT run_id, count(*) FROM commands GROUP BY ALL');
  const fromTwo = await queryRunDatabase(two, 'SELECT run_id, count(*) FROM commands GROUP BY ALL');
  assert.equal(perRun.rows, [...fromOne.rows, ...fromTwo.rows]);
  const sql = 'SELECT recipient_name, CAST(code AS VARCHAR), count(*) FROM alerts_named GROUP BY ALL ORDER BY ALL';
  const named = await queryRunDatabase(
    out,
    `${sql.replace('FROM alerts_named', "FROM alerts_named WHERE run_id = 'one.duckdb-s7'")}`,
  );
  assert.equal(named.rows, (await queryRunDatabase(one, sql)).rows);
  const cover = 'SELECT party_name, month, unpaid_pence, socialised_pence FROM credit_cover';
  assert.equal(
    (await queryRunDatabase(out, `${cover} WHERE run_id = 'two.duckdb-s8' ORDER BY ALL`)).rows,
    (await queryRunDatabase(two, `${cover} ORDER BY ALL`)).rows,
  );
  // Locked down like a run database: the export's files are read, never written, and nothing else is reached.
  const data = join(out, 'commands', 'run_id=one.duckdb-s7', 'data.parquet');
  const before = digest(data);
  for (const sql of [
    `COPY (SELECT 1 AS x) TO '${data}' (FORMAT parquet)`,
    `COPY (SELECT 1 AS x) TO '${join(out, 'runs', 'extra.csv')}'`,
    `SELECT * FROM read_text('/etc/hostname')`,
    `SELECT count(*) FROM read_parquet('${out}/*/*/*.parquet')`,
    'SET enable_external_access = true',
    'INSTALL httpfs',
  ]) {
    const refused = await queryRunDatabase(out, sql).catch((e) => e);
    assert.is(refused.code, 'GBF_QUERY_REFUSED', `${sql}: ${refused.message}`);
  }
  assert.is(digest(data), before, 'the exported file is unchanged');
  assert.not.ok(existsSync(join(out, 'runs', 'extra.csv')));
  const plain = freshDir();
  const notExport = await queryRunDatabase(plain, 'SELECT 1').catch((e) => e);
  assert.match(notExport.message, /is a directory, not a DuckDB file nor a Parquet export/);
  rmSync(out, { recursive: true, force: true });
  rmSync(plain, { recursive: true, force: true });
});

test('an existing partition is refused, naming it, unless replace; then it is swapped', async () => {
  const [one] = await twoRuns();
  const out = freshDir();
  await exportRunsToParquet([one], out);
  const again = await exportRunsToParquet([one], out).catch((e) => e);
  assert.is(again.code, 'GBF_REPORT_INPUT');
  assert.match(again.message, /already holds 10 of these partitions \(runs\/run_id=one\.duckdb-s7, .*--replace/);
  const replaced = await exportRunsToParquet([one], out, { replace: true });
  assert.is(replaced.length, 1);
  assert.equal(await readBack(out, 'runs'), [['one.duckdb-s7', 1n]]);
  rmSync(out, { recursive: true, force: true });
});

test('bad input: a missing file, a non-database, a file as the output folder: nothing written', async () => {
  const [one] = await twoRuns();
  const dir = freshDir();
  const out = join(dir, 'out');
  const missing = await exportRunsToParquet([join(dir, 'gone.duckdb')], out).catch((e) => e);
  assert.is(missing.code, 'GBF_RUN_DB_MISSING');
  writeFileSync(join(dir, 'text.duckdb'), 'not a database');
  const text = await exportRunsToParquet([one, join(dir, 'text.duckdb')], out).catch((e) => e);
  assert.match(text.message, /text\.duckdb: is not a DuckDB file/);
  assert.not.ok(existsSync(out), 'a bad second input stops the export before the first is written');
  const twice = await exportRunsToParquet([one, one], out).catch((e) => e);
  assert.match(twice.message, /give each run once/);
  writeFileSync(join(dir, 'plain-file'), '');
  const notFolder = await exportRunsToParquet([one], join(dir, 'plain-file')).catch((e) => e);
  assert.match(notFolder.message, /plain-file: exists and is not a folder/);
  mkdirSync(join(dir, 'empty'));
  const none = await exportRunsToParquet([], join(dir, 'empty')).catch((e) => e);
  assert.match(none.message, /expected at least one run database/);
  assert.equal(readdirSync(join(dir, 'empty')), []);
  rmSync(dir, { recursive: true, force: true });
});

test.after(() => rmSync(shared, { recursive: true, force: true }));

test.run();
