/**
 * The shipped CoS scenario files through `gbfleet run` and the DuckDB run database: DP072's
 * calibration reproduced to the alert under each DCC alert policy (in the summary and by SQL on the
 * alert rows), the same database digest for 1 and 2 workers, the at-scale file at a small size,
 * and a bad `plugins.cos` section refused with exit code 2 before anything is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRunDatabase, runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const CALIBRATION = fileURLToPath(new URL('../../../scenarios/cos-dp072-calibration.yaml', import.meta.url));
const AT_SCALE = fileURLToPath(new URL('../../../scenarios/cos-at-scale.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-cos-'));

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

/** The calibration file with another DCC alert policy (and nothing else changed). */
function withPolicy(policy: string): string {
  const text = readFileSync(CALIBRATION, 'utf8');
  const changed = text.replace(/^ {2}alertPolicy: none\b/m, `  alertPolicy: ${policy}`);
  assert.ok(changed !== text, 'the calibration file sets dcc.alertPolicy: none');
  const path = join(dir, `calibration-${policy}.yaml`);
  writeFileSync(path, changed);
  return path;
}

async function runFile(file: string, name: string, extra: string[] = []) {
  const r = await run(['run', file, '--out', join(dir, name), '--json', ...extra]);
  assert.is(r.code, 0, r.err);
  return JSON.parse(r.out) as {
    database: string;
    status: string;
    alerts: { total: number; toNonRegistered: number; readingsToNonRegistered: number; droppedByDcc: number };
    commands: { byReason: Record<string, number> };
    figures: Record<string, number>;
  };
}

async function one(database: string, sql: string): Promise<unknown[]> {
  const result = await queryRunDatabase(database, sql);
  assert.is(result.rows.length, 1, sql);
  return (result.rows[0] as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v));
}

const LEAKED = `SELECT count(*), count(*) FILTER (WHERE carries_reads) FROM alerts WHERE recipient <> registered_supplier`;
let calibrationDigest = '';

test('calibration (policy none): 244,764 alerts and 81,588 readings to the losing supplier, in the summary and the database', async () => {
  const s = await runFile(CALIBRATION, 'none', ['--workers', '1']);
  assert.is(s.status, 'completed');
  assert.is(s.alerts.toNonRegistered, 244_764);
  assert.is(s.alerts.readingsToNonRegistered, 81_588);
  assert.is(s.figures['cos: alerts to the losing supplier'], 244_764);
  assert.is(s.figures['cos: readings to the losing supplier'], 81_588);
  assert.equal(await one(s.database, LEAKED), [244_764, 81_588]);
  // Who received them, per meter and per day.
  assert.equal(
    await one(
      s.database,
      `SELECT recipient_name, registered_supplier_name, count(*) FROM alerts_named WHERE NOT to_registered_supplier GROUP BY ALL`,
    ),
    ['Losing Energy', 'Gaining Energy', 244_764],
  );
  assert.equal(
    await one(
      s.database,
      `SELECT count(*), min(n), max(n), min(r), max(r) FROM (
         SELECT meter_id, count(*) AS n, count(*) FILTER (WHERE carries_reads) AS r
         FROM alerts WHERE recipient <> registered_supplier GROUP BY meter_id)`,
    ),
    [1046, 234, 234, 78, 78],
  );
  assert.equal(
    await one(
      s.database,
      `SELECT count(*), min(n), max(n), CAST(min(day) AS VARCHAR), CAST(max(day) AS VARCHAR) FROM (
         SELECT CAST(t AS DATE) AS day, count(*) AS n FROM alerts WHERE recipient <> registered_supplier GROUP BY day)`,
    ),
    [78, 3138, 3138, '2018-12-03', '2019-02-18'],
  );
  // SR 6.23 (CS02b, message code 0x0107) lands 78 days after the supply start date; E4 for the losing supplier.
  assert.equal(
    await one(
      s.database,
      `SELECT count(*), CAST(min(t) AS VARCHAR), CAST(max(t) AS VARCHAR) FROM commands_named
       WHERE sr = '6.23' AND message_code = 263 AND reason = 'ACCEPTED' AND sender_role = 'acb'`,
    ),
    [1046, '2019-02-19 00:00:00', '2019-02-19 00:00:00'],
  );
  assert.equal(
    await one(
      s.database,
      `SELECT count(*), any_value(sender_name) FROM commands_named WHERE reason = 'DCC_E4_NOT_ELIGIBLE'`,
    ),
    [10, 'Losing Energy'],
  );
  assert.is(s.figures['cos: losing-supplier commands blocked (E4)'], 10);
  calibrationDigest = await runDigest(s.database);
});

test('calibration with 2 workers: the same run database', async () => {
  const s = await runFile(CALIBRATION, 'two-workers', ['--workers', '2']);
  assert.ok(calibrationDigest !== '');
  assert.is(await runDigest(s.database), calibrationDigest);
});

test('calibration with dcc-schedules: 0 readings reach the losing supplier', async () => {
  const s = await runFile(withPolicy('dcc-schedules'), 'dcc-schedules');
  assert.is(s.alerts.readingsToNonRegistered, 0);
  assert.is(s.figures['cos: readings to the losing supplier'], 0);
  assert.equal(await one(s.database, LEAKED), [163_176, 0]);
  assert.equal(
    await one(
      s.database,
      `SELECT count(*) FROM alerts WHERE code = 'METER_READING' AND recipient = registered_supplier`,
    ),
    [84 * 1046],
  );
});

test('calibration with filter-non-critical: only critical alerts may leak, and none do', async () => {
  const s = await runFile(withPolicy('filter-non-critical'), 'filter');
  assert.is(s.alerts.toNonRegistered, 0);
  assert.is(s.alerts.droppedByDcc, 244_764);
  assert.equal(await one(s.database, LEAKED), [0, 0]);
  assert.equal(await one(s.database, 'SELECT count(*) FROM alerts'), [263_592 - 244_764]);
});

test('the at-scale file runs end to end at a small size', async () => {
  const s = await runFile(AT_SCALE, 'at-scale', ['--meters', '4000', '--days', '4']);
  assert.is(s.status, 'completed');
  assert.is(s.figures['cos: meters in CoS batches'], 4000, 'every meter is in a batch');
  assert.ok(s.figures['cos: planned SR 6.23 never sent (not-registered)']! > 0);
  assert.ok(s.figures['cos: supply starts']! > 400 && s.figures['cos: supply starts']! < (4000 / 30) * 4 + 10);
  assert.ok(s.figures['cos: SR 6.23 accepted by the meter']! > 0);
  assert.ok(s.figures['cos: alerts to the losing supplier']! > 0);
  assert.equal(
    await one(s.database, 'SELECT count(*) FROM alerts WHERE delivered AND recipient <> registered_supplier'),
    [s.alerts.toNonRegistered],
  );
});

test('a bad plugins.cos section exits 2, names the field and what is allowed, and writes nothing', async () => {
  const bad = join(dir, 'bad-cos.yaml');
  writeFileSync(
    bad,
    readFileSync(CALIBRATION, 'utf8')
      .replace('meters: 1046 }', 'meters: 2000 }')
      .replace('send: late, reason: immature-process', 'send: later, reason: immature-process'),
  );
  const out = join(dir, 'bad-out');
  const r = await run(['run', bad, '--out', out]);
  assert.is(r.code, 2, r.err);
  assert.match(
    r.err,
    'plugins.cos.batches[0].meters: got 2000, expected an integer from 1 to 1046 (the fleet has 1046 meters)',
  );
  assert.match(r.err, 'plugins.cos.sr623[0].send: got "later", expected one of "on-time", "late", "never"');
  assert.not.ok(existsSync(out) && readdirSync(out).length > 0, 'no database was written');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
