/**
 * Hostile batches: each is refused whole with GBF_RUN_BATCH and a message naming what is wrong,
 * nothing of it is written, and the database stays usable for the next good batch.
 */
import { join } from 'node:path';
import { ALERT_CODES, type AlertBatch, CHANNELS, SUPPLY_EVENTS, UTRN_STATUSES, WAN_CLASSES } from '@gbfleet/core';
import { COMMAND_OUTCOMES, SERVICE_REQUESTS } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRunDatabase, RunDatabase } from '../src/index.ts';
import { alerts, commands, meters, PARTIES, sampleMeta, supplyEvents, utrns, withTempDir } from './helpers/run-db.ts';

const GOOD = (): AlertBatch =>
  alerts([
    [0, 1, 0, 1, 1, 0],
    [1, 2, 3, 1, 1, 1],
  ]);

/** Runs `attempt` against a fresh database, then checks it threw `pattern` (a RegExp or a substring) and left `table` empty. */
async function refused(
  table: string,
  attempt: (db: RunDatabase) => Promise<unknown>,
  pattern: RegExp | string,
): Promise<void> {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    try {
      const error = await attempt(db).then(
        () => null,
        (e) => e,
      );
      assert.ok(error, `expected ${table} to be refused`);
      assert.is(error.code, 'GBF_RUN_BATCH', error.message);
      assert.match(error.message, pattern);
      assert.match(error.message, /nothing of it was written/);
      // Still usable afterwards.
      await db.appendAlerts(GOOD());
      await db.finish('completed');
    } finally {
      await db.abandon();
    }
    const count = await queryRunDatabase(path, `SELECT count(*) FROM ${table}`);
    const expected = table === 'alerts' ? 2n : 0n;
    assert.equal(count.rows, [[expected]], `${table} must hold only the good batch`);
  });
}

test('a column shorter than length', async () => {
  const b = GOOD();
  b.meter = b.meter.subarray(0, 1);
  await refused('alerts', (db) => db.appendAlerts(b), /column meter has 1 entries but the batch length is 2/);
});

test('a column longer than length', async () => {
  const b = { ...GOOD(), length: 1 };
  await refused('alerts', (db) => db.appendAlerts(b), /column step has 2 entries but the batch length is 1/);
});

test('a length that is not a count', async () => {
  for (const length of [-1, 1.5, Number.NaN, '2' as unknown as number]) {
    await refused('alerts', (db) => db.appendAlerts({ ...GOOD(), length }), /length .* is not a non-negative integer/);
  }
});

test('a column of the wrong typed array', async () => {
  const b = { ...GOOD(), meter: Float64Array.of(1, 2) as unknown as Uint32Array };
  await refused('alerts', (db) => db.appendAlerts(b), /column meter must be a Uint32Array, not Float64Array/);
  await refused(
    'alerts',
    (db) => db.appendAlerts({ ...GOOD(), code: undefined as unknown as Uint8Array }),
    /column code must be/,
  );
  await refused('alerts', (db) => db.appendAlerts(null as unknown as AlertBatch), /not an object/);
});

test('an unknown alert code', async () => {
  const b = GOOD();
  const n = ALERT_CODES.length;
  b.code[1] = n;
  const message = `column code, entry 1: code ${n} is not in ALERT_CODES (valid codes are 0..${n - 1})`;
  await refused('alerts', (db) => db.appendAlerts(b), message);
});

test('a flag that is not 0 or 1', async () => {
  const b = GOOD();
  b.carriesReads[0] = 2;
  await refused('alerts', (db) => db.appendAlerts(b), /carriesReads, entry 0: flag 2/);
});

test('unknown command reason, channel and service request', async () => {
  await refused(
    'commands',
    (db) => db.appendCommands(commands([[0, 1, 1, 0, 1, 0, COMMAND_OUTCOMES.length]])),
    /reason.*COMMAND_OUTCOMES/,
  );
  await refused(
    'commands',
    (db) => db.appendCommands(commands([[0, 1, 1, 0, 1, CHANNELS.length, 0]])),
    /channel.*CHANNELS/,
  );
  await refused(
    'commands',
    (db) => db.appendCommands(commands([[0, 1, 1, SERVICE_REQUESTS.length, 1, 0, 0]])),
    /serviceRequest.*SERVICE_REQUESTS/,
  );
});

test('unknown supply event and cause', async () => {
  await refused(
    'supply_events',
    (db) => db.appendSupplyEvents(supplyEvents([[0, 1, SUPPLY_EVENTS.length, 0]])),
    /event.*SUPPLY_EVENTS/,
  );
  await refused('supply_events', (db) => db.appendSupplyEvents(supplyEvents([[0, 1, 0, 255]])), /cause.*SUPPLY_CAUSES/);
});

test('bad UTRN text and status', async () => {
  const ok = '73943333457189043313';
  await refused(
    'utrn',
    (db) => db.appendUtrn(utrns([[0, 1, 1, '7394333345718904331x', 1, 0]])),
    /not 20 to 60 decimal digits/,
  );
  await refused('utrn', (db) => db.appendUtrn(utrns([[0, 1, 1, '123', 1, 0]])), /not 20 to 60 decimal digits/);
  await refused(
    'utrn',
    (db) => db.appendUtrn(utrns([[0, 1, 1, ok, 1, UTRN_STATUSES.length]])),
    /status.*UTRN_STATUSES/,
  );
  const short = { ...utrns([[0, 1, 1, ok, 1, 0]]), utrn: [] };
  await refused('utrn', (db) => db.appendUtrn(short), /column utrn has 0 entries/);
});

test('bad meters snapshot', async () => {
  const m = meters(3);
  m.wanClass[2] = WAN_CLASSES.length;
  await refused('meters', (db) => db.appendMeters(m), /wanClass.*WAN_CLASSES/);
  const nan = meters(2);
  nan.meanKwhPerDay[1] = Number.NaN;
  await refused('meters', (db) => db.appendMeters(nan), /meanKwhPerDay, entry 1/);
  await refused('meters', (db) => db.appendMeters(meters(2), 0xffffffff), /does not fit meter_id/);
});

test('bad parties and charges', async () => {
  const bad = [{ ...PARTIES[0]!, index: 70000 }];
  await refused('parties', (db) => db.appendParties(bad), /index 70000 is not in 0\.\.65535/);
  await refused('parties', (db) => db.appendParties([{ ...PARTIES[0]!, eui: -1n }]), /eui -1/);
  await refused('parties', (db) => db.appendParties([PARTIES[0]!, PARTIES[0]!]), /party 0 is given twice/);
  const charge = {
    party: 1,
    month: '2024-01-01',
    chargesPence: 1,
    paidPence: 0,
    coverLodgedPence: 0,
    coverDrawnPence: 0,
    socialisedPence: 0,
  };
  await refused('charges', (db) => db.appendCharges([{ ...charge, month: '2024-01-15' }]), /not a first-of-month/);
  await refused('charges', (db) => db.appendCharges([{ ...charge, month: '2024-13-01' }]), /not a first-of-month/);
  await refused(
    'charges',
    (db) => db.appendCharges([{ ...charge, paidPence: 0.5 }]),
    /paidPence 0\.5 is not whole pence/,
  );
});

test('a party given again in a later batch is refused; the first stays', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    try {
      await db.appendParties([PARTIES[0]!]);
      const error = await db.appendParties([PARTIES[1]!, PARTIES[0]!]).catch((e) => e);
      assert.is(error.code, 'GBF_RUN_BATCH');
      assert.match(error.message, /party 0 is given twice/);
      await db.finish('completed');
    } finally {
      await db.abandon();
    }
    assert.equal((await queryRunDatabase(path, 'SELECT party FROM parties')).rows, [[0]]);
  });
});

test('a refused batch among good ones leaves exactly the good ones', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    try {
      const bad = GOOD();
      bad.code[0] = 200;
      const results = await Promise.allSettled([
        db.appendAlerts(GOOD()),
        db.appendAlerts(bad),
        db.appendAlerts(GOOD()),
      ]);
      assert.equal(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      await db.finish('failed', { error: 'bad batch' });
    } finally {
      await db.abandon();
    }
    const r = await queryRunDatabase(path, 'SELECT count(*) FROM alerts');
    assert.equal(r.rows, [[4n]]);
  });
});

test.run();
