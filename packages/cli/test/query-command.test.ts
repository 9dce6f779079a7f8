/**
 * `gbfleet query` on a real run: ordinary SQL and the stored views work, anything that reaches
 * past the run (a file written or read, an extension, a setting) exits 2 with a clear message and
 * leaves no file, and several statements print each result in order.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-query-cmd-'));
const runs = join(dir, 'runs');
const scenario = join(dir, 'tiny.yaml');
writeFileSync(
  scenario,
  `name: query test
seed: "31"
start: "2026-04-29T00:00:00Z"
days: 2
stepMinutes: 120
fleet:
  meters: 30
  paymentMode: { prepayment: 0.5, credit: 0.5 }
  suppliers:
    - { name: Aurora Energy, share: 0.7, meterPoints: 100000 }
    - { name: Cobalt Supply, share: 0.3, meterPoints: 50000, creditCoverPence: 0 }
events:
  - { day: 1, type: supplier-fails, supplier: Cobalt Supply }
`,
);

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

let database: Promise<string> | undefined;
const runDatabase = () => {
  database ??= (async () => {
    const done = await cli(['run', scenario, '--out', runs, '--json']);
    assert.is(done.code, 0, done.err);
    return JSON.parse(done.out).database as string;
  })();
  return database;
};

test('ordinary queries and the stored views work under the lockdown', async () => {
  const db = await runDatabase();
  const cover = await cli(['query', db, 'select count(*) as n from credit_cover', '--csv']);
  assert.is(cover.code, 0, cover.err);
  assert.match(cover.out, /^n\r\n\d+\r\n$/);
  const named = await cli(['query', db, 'select count(*) as n from alerts_named where recipient_name is not null']);
  assert.is(named.code, 0, named.err);
  assert.match(named.out, /\(1 row\)/);
  assert.is((await cli(['query', db, 'describe commands'])).code, 0);
});

test('writing a file, reading a host file, installing an extension or SET: exit 2, nothing written', async () => {
  const db = await runDatabase();
  const outside = join(tmpdir(), `gbfleet-query-escape-${randomBytes(6).toString('hex')}.csv`);
  const hostname = readFileSync('/etc/hostname', 'utf8').trim();
  const cases: Array<[string, RegExp]> = [
    [`copy (select 42) to '${outside}'`, /query refused: .*Cannot access file .*file system operations are disabled/],
    [`copy (select 42) to '${db}.wal' (format csv)`, /query refused: COPY is not allowed/],
    ["select * from read_text('/etc/hostname')", /query refused: .*Cannot access file "\/etc\/hostname"/],
    ['install httpfs', /query refused: INSTALL or LOAD is not allowed/],
    ['set enable_external_access = true', /query refused: .*the configuration has been locked/],
    ['select 1; set enable_external_access = true', /the configuration has been locked/],
  ];
  for (const [sql, message] of cases) {
    const r = await cli(['query', db, sql]);
    assert.is(r.code, 2, `${sql}: ${r.err}`);
    assert.match(r.err, message, sql);
    assert.match(r.err, /a query (may read|reads) (only )?the run/, sql);
    assert.is(r.out, '', sql);
    if (hostname) assert.not.ok(r.err.includes(`\n${hostname}`), 'no host file content is shown');
  }
  assert.not.ok(existsSync(outside), `${outside} was not written`);
  assert.equal(readdirSync(runs), [db.split('/').pop()], 'nothing was written beside the run');
});

test('several statements print each result in order; --csv and --json take one', async () => {
  const db = await runDatabase();
  const both = await cli(['query', db, 'select 1 as first; select 2 as second, 3 as third']);
  assert.is(both.code, 0, both.err);
  assert.is(both.out, 'first\n-----\n    1\n(1 row)\n\nsecond  third\n------  -----\n     2      3\n(1 row)\n');
  const csv = await cli(['query', db, 'select 1; select 2', '--csv']);
  assert.is(csv.code, 2);
  assert.match(csv.err, /holds 2 statements.*--csv prints one result/);
  assert.is(csv.out, '');
  const one = await cli(['query', db, 'select 1 as a;', '--json']);
  assert.is(one.code, 0, one.err);
  assert.is(one.out, '{"a":1}\n');
  const none = await cli(['query', db, ';']);
  assert.is(none.code, 2);
  assert.match(none.err, /no SQL statement/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
