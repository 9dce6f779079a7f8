import { rejects } from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTCOME_CODE } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRunDatabase, RunDatabase } from '../src/index.ts';
import { withHeldDatabase } from './helpers/held-database.ts';
import {
  alerts,
  commands,
  meters,
  PARTIES,
  sampleMeta,
  supplyEvents,
  utrns,
  withRunDb,
  withTempDir,
} from './helpers/run-db.ts';

const UTRN_A = '73943333457189043313';
const UTRN_B = '12345678901234567890';

/** ISO text of a query cell (TIMESTAMP and DATE come back as Date). */
function iso(value: unknown): string {
  assert.instance(value, Date);
  return (value as Date).toISOString();
}

test('every batch kind comes back as appended, with t = start + step × stepMinutes', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta({ stepMinutes: 30 }));
    await db.appendParties(PARTIES);
    await db.appendMeters(meters(3), 10);
    await db.appendAlerts(
      alerts([
        [0, 10, 0, 1, 1, 0],
        [5, 11, 5, 2, 1, 1],
      ]),
    );
    await db.appendCommands(
      commands([
        [2, 2, 10, 1, 0x0041, 0, OUTCOME_CODE.ACCEPTED],
        [3, 1, 12, 4, 0x00a0, 1, OUTCOME_CODE.DCC_E4_NOT_ELIGIBLE],
        [3, 1, 12, 0, 0x0001, 0, OUTCOME_CODE.WAN_NOT_DELIVERED],
        [4, 1, 11, 2, 0x0002, 0, OUTCOME_CODE.DCC_QUARANTINED],
      ]),
    );
    await db.appendSupplyEvents(
      supplyEvents([
        [7, 11, 0, 0],
        [9, 11, 2, 1],
      ]),
    );
    await db.appendUtrn(
      utrns([
        [8, 11, 2, UTRN_A, 1000, 0],
        [8, 12, 2, UTRN_B, 500, 3],
      ]),
    );
    await db.appendCharges([
      {
        party: 1,
        month: '2024-01-01',
        chargesPence: 9_000_000_000,
        paidPence: 0,
        coverLodgedPence: 100,
        coverDrawnPence: 100,
        socialisedPence: 8_999_999_900,
      },
    ]);
    assert.is(await db.finish('completed'), path);

    const parties = await queryRunDatabase(path, 'SELECT * FROM parties ORDER BY party');
    assert.equal(parties.columns, ['run_id', 'party', 'eui', 'name', 'role', 'revoked_at', 'failed_at']);
    assert.equal(parties.rows[1]?.slice(0, 5), [
      'run-test-1',
      1,
      0x90b3d51f30010000n,
      "O'Brien Energy, Ltd",
      'supplier',
    ]);
    assert.is(iso(parties.rows[1]?.[5]), '2024-01-01T15:00:00.000Z');
    assert.is(iso(parties.rows[1]?.[6]), '2024-01-01T12:00:00.000Z');
    assert.is(parties.rows[0]?.[5], null);

    const m = await queryRunDatabase(path, 'SELECT * EXCLUDE (run_id) FROM meters ORDER BY meter_id');
    assert.equal(m.rows[0], [
      10,
      0x00db123456789000n,
      'electricity',
      'prepayment',
      1,
      0,
      'good',
      true,
      1000,
      1500,
      Math.fround(8.1),
    ]);
    assert.equal(m.rows[2], [
      12,
      0x00db123456789002n,
      'electricity',
      'prepayment',
      1,
      0,
      'none',
      false,
      -400,
      1500,
      Math.fround(8.3),
    ]);
    const hex = await queryRunDatabase(path, 'SELECT eui_hex, supplier_name FROM meters_named WHERE meter_id = 11');
    assert.equal(hex.rows, [['00DB123456789001', 'SoLR Power']]);

    const a = await queryRunDatabase(path, 'SELECT * EXCLUDE (run_id, t), t FROM alerts ORDER BY t');
    assert.equal(
      a.rows.map((r) => [...r.slice(0, 6), iso(r[6])]),
      [
        [10, 'LOW_CREDIT', 1, 1, false, true, '2024-01-01T00:00:00.000Z'],
        [11, 'METER_READING', 2, 1, true, true, '2024-01-01T02:30:00.000Z'],
      ],
    );
    const named = await queryRunDatabase(
      path,
      'SELECT recipient_name, registered_supplier_name, to_registered_supplier FROM alerts_named ORDER BY t',
    );
    assert.equal(named.rows, [
      ["O'Brien Energy, Ltd", "O'Brien Energy, Ltd", true],
      ['SoLR Power', "O'Brien Energy, Ltd", false],
    ]);

    const c = await queryRunDatabase(path, 'SELECT * EXCLUDE (run_id, t) FROM commands ORDER BY t, service_request');
    assert.equal(c.rows, [
      [2, 10, 1, 0x41, 'wan', 'accepted', 'ACCEPTED', 'none'],
      [1, 12, 0, 0x01, 'wan', 'undelivered', 'WAN_NOT_DELIVERED', 'none'],
      [1, 12, 4, 0xa0, 'utrn', 'rejected', 'DCC_E4_NOT_ELIGIBLE', 'none'],
      [1, 11, 2, 0x02, 'wan', 'quarantined', 'DCC_QUARANTINED', 'none'],
    ]);
    const cn = await queryRunDatabase(
      path,
      `SELECT sender_name, sender_role, sr FROM commands_named WHERE service_request = 4`,
    );
    assert.equal(cn.rows, [["O'Brien Energy, Ltd", 'supplier', '6.23']]);

    const s = await queryRunDatabase(path, 'SELECT t, meter_id, event, cause FROM supply_events ORDER BY t');
    assert.equal(
      s.rows.map((r) => [iso(r[0]), ...r.slice(1)]),
      [
        ['2024-01-01T03:30:00.000Z', 11, 'disabled', 'credit-exhausted'],
        ['2024-01-01T04:30:00.000Z', 11, 'enabled', 'top-up'],
      ],
    );

    const u = await queryRunDatabase(
      path,
      'SELECT meter_id, supplier, utrn, value_pence, status FROM utrn ORDER BY meter_id',
    );
    assert.equal(u.rows, [
      [11, 2, UTRN_A, 1000, 'accepted'],
      [12, 2, UTRN_B, 500, 'rejected-replay'],
    ]);

    const ch = await queryRunDatabase(
      path,
      'SELECT party_name, month, charges_pence, unpaid_pence, socialised_pence FROM credit_cover',
    );
    assert.equal(ch.rows[0]?.[0], "O'Brien Energy, Ltd");
    assert.is(iso(ch.rows[0]?.[1]), '2024-01-01T00:00:00.000Z');
    assert.equal(ch.rows[0]?.slice(2), [9_000_000_000n, 9_000_000_000n, 8_999_999_900n]);
  });
});

test('the file appears under its final name only after finish; the .partial goes away', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    assert.ok(existsSync(`${path}.partial`));
    assert.not.ok(existsSync(path));
    await db.appendAlerts(alerts([[1, 1, 0, 1, 1, 0]]));
    assert.not.ok(existsSync(path));
    await db.finish('completed');
    assert.ok(existsSync(path));
    assert.not.ok(existsSync(`${path}.partial`));
    assert.not.ok(existsSync(`${path}.partial.wal`));
    const runs = await queryRunDatabase(
      path,
      'SELECT status, error, finished_at >= started_at, steps, start FROM runs',
    );
    assert.equal(runs.rows[0]?.slice(0, 4), ['completed', null, true, 48]);
  });
});

for (const status of ['completed', 'failed', 'interrupted'] as const) {
  test(`finish('${status}') records the status and publishes the file`, async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, `${status}.duckdb`);
      const db = await RunDatabase.create(path, sampleMeta());
      const error = status === 'completed' ? undefined : `stopped: ${status} at shard 1, step 3`;
      await db.finish(status, status === 'completed' ? {} : { error, stepsRun: 3 });
      const runs = await queryRunDatabase(path, 'SELECT status, error, steps, steps_run FROM runs');
      const steps = sampleMeta().steps;
      assert.equal(runs.rows, [[status, error ?? null, steps, status === 'completed' ? steps : 3]]);
    });
  });
}

test('finish refuses a steps-run count outside 0..steps, and the run stays open to finish right', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'steps.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    for (const stepsRun of [-1, 1.5, sampleMeta().steps + 1, Number.NaN]) {
      await rejects(db.finish('failed', { stepsRun }), /steps run must be an integer from 0 to/);
    }
    await db.finish('failed', { error: 'x', stepsRun: 0 });
    const runs = await queryRunDatabase(path, 'SELECT status, steps_run FROM runs');
    assert.equal(runs.rows, [['failed', 0]]);
  });
});

test('a run is "running" until it finishes, and refuses use after finish', async () => {
  await withRunDb(async (db, path) => {
    const partial = await queryRunDatabase(`${path}.partial`, 'SELECT status, finished_at FROM runs').catch((e) => e);
    // The partial is held open by the writer (DuckDB locks it), or readable and still 'running'.
    if (!(partial instanceof Error)) assert.equal(partial.rows, [['running', null]]);
    await db.finish('completed');
    await rejects(db.appendAlerts(alerts([[1, 1, 0, 1, 1, 0]])), /already finished/);
    await rejects(db.finish('completed'), /already finished/);
  });
});

test('refuses a final path that already exists, and leaves it alone', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'taken.duckdb');
    writeFileSync(path, 'not a database');
    const error = await RunDatabase.create(path, sampleMeta()).catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB_EXISTS');
    assert.match(error.message, /already exists/);
    assert.not.ok(existsSync(`${path}.partial`));
  });
});

test('a stale .partial from a crashed run is replaced', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    writeFileSync(`${path}.partial`, 'garbage left by a crash');
    const db = await RunDatabase.create(path, sampleMeta());
    await db.finish('completed');
    assert.equal((await queryRunDatabase(path, 'SELECT count(*) FROM runs')).rows, [[1n]]);
  });
});

test('a .partial another live process holds is refused, untouched, naming the process', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const partial = `${path}.partial`;
    await withHeldDatabase(partial, async (pid) => {
      const before = readFileSync(partial);
      const error = await RunDatabase.create(path, sampleMeta()).catch((e) => e);
      assert.is(error.code, 'GBF_RUN_DB_BUSY', error.message);
      assert.match(error.message, new RegExp(`run\\.duckdb\\.partial is being written by process ${pid}`));
      assert.ok(readFileSync(partial).equals(before), "the live run's file is unchanged");
    });
    // Once its holder is gone, it is a dead run's leftover and is replaced.
    const db = await RunDatabase.create(path, sampleMeta());
    await db.finish('completed');
    assert.equal((await queryRunDatabase(path, 'SELECT count(*) FROM runs')).rows, [[1n]]);
  });
});

test('two creates of one path in one process: the second is refused while the first is open', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const [first, second] = await Promise.allSettled([
      RunDatabase.create(path, sampleMeta()),
      RunDatabase.create(path, sampleMeta()),
    ]);
    assert.is(first.status, 'fulfilled');
    assert.is(second.status, 'rejected');
    assert.is((second as PromiseRejectedResult).reason.code, 'GBF_RUN_DB_BUSY');
    const db = (first as PromiseFulfilledResult<RunDatabase>).value;
    await db.appendAlerts(alerts([[1, 1, 0, 1, 1, 0]]));
    await db.finish('completed');
    assert.equal((await queryRunDatabase(path, 'SELECT count(*) FROM alerts')).rows, [[1n]]);
  });
});

test('finish will not overwrite a file that appeared at the final path meanwhile', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    writeFileSync(path, 'someone else');
    const error = await db.finish('completed').catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB_EXISTS');
    assert.match(error.message, /the finished run is kept in .*run\.duckdb\.partial/);
    assert.ok(existsSync(`${path}.partial`));
    assert.is(readFileSync(path, 'utf8'), 'someone else');
    await db.abandon();
    assert.not.ok(existsSync(`${path}.partial`));
  });
});

test('abandon closes and deletes the partial file, and is safe to repeat', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    await db.appendAlerts(alerts([[1, 1, 0, 1, 1, 0]]));
    await db.abandon();
    await db.abandon();
    assert.not.ok(existsSync(`${path}.partial`));
    assert.not.ok(existsSync(path));
  });
});

test('bad run metadata is refused before any file is made', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    for (const bad of [{ start: 'yesterday' }, { stepMinutes: 0 }, { scenarioHash: 'xyz' }, { runId: '' }]) {
      const error = await RunDatabase.create(path, sampleMeta(bad)).catch((e) => e);
      assert.is(error.code, 'GBF_RUN_META', JSON.stringify(bad));
    }
    assert.not.ok(existsSync(`${path}.partial`));
  });
});

test('a path that cannot be made is a GBF_RUN_DB error, not a bare errno', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'file'), '');
    const error = await RunDatabase.create(join(dir, 'file', 'run.duckdb'), sampleMeta()).catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB');
    assert.match(error.message, /cannot prepare .*run\.duckdb\.partial/);
  });
});

test('finish refuses a status that is not an end, and the run stays open', async () => {
  await withRunDb(async (db, path) => {
    const error = await db.finish('running' as 'completed').catch((e) => e);
    assert.is(error.code, 'GBF_RUN_DB');
    assert.match(error.message, /not one of completed, failed, interrupted/);
    await db.appendAlerts(alerts([[1, 1, 0, 1, 1, 0]]));
    await db.finish('completed');
    assert.equal((await queryRunDatabase(path, 'SELECT status FROM runs')).rows, [['completed']]);
  });
});

test('appends issued without awaiting are serialised and all land', async () => {
  await withRunDb(async (db, path) => {
    const pending = [];
    for (let i = 0; i < 20; i++) pending.push(db.appendAlerts(alerts([[i, i, 0, 1, 1, 0]])));
    await Promise.all(pending);
    await db.finish('completed');
    assert.equal((await queryRunDatabase(path, 'SELECT count(*), sum(meter_id) FROM alerts')).rows, [[20n, 190n]]);
  });
});

test('batches larger than one data chunk append whole', async () => {
  await withRunDb(async (db, path) => {
    const n = 5000;
    const rows = Array.from(
      { length: n },
      (_, i) => [i % 48, i, i % 7, 1, 2, i % 2] as [number, number, number, number, number, number],
    );
    await db.appendAlerts(alerts(rows));
    await db.finish('completed');
    const r = await queryRunDatabase(
      path,
      'SELECT count(*), count(DISTINCT meter_id), sum(carries_reads::INT), max(t) FROM alerts',
    );
    assert.equal(r.rows[0]?.slice(0, 3), [5000n, 5000n, 2500n]);
    assert.is(iso(r.rows[0]?.[3]), '2024-01-02T23:00:00.000Z');
  });
});

test.run();
