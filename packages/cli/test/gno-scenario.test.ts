/**
 * The GNO scenario (MP128) through `gbfleet run` and the DuckDB run database: 1 and 2 workers give
 * the same database; the stranded GPFs the summary reports are the ones the commands table shows
 * (ACB placed by SRV 6.15.1, every SRV 6.21 rejected); the shipped scenario file runs, scaled down;
 * a hostile `plugins.gno` section exits 2 before anything is written.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-gno-'));
const scenario = join(dir, 'gno.yaml');
writeFileSync(
  scenario,
  `name: gno test
seed: "17"
days: 2
fleet:
  meters: 1500
  fuel: { electricity: 0.2, gas: 0.8 }
  paymentMode: { prepayment: 0, credit: 1 }
  wan: { good: 0.85, intermittent: 0.1, none: 0.05 }
  networkOperators:
    - { name: Northern Gas, share: 0.6 }
    - { name: Eastern Gas, share: 0.4 }
events:
  - { day: 0, hour: 1, type: gno-leaves, operator: Northern Gas, counterLeadHours: 8760, exitAfterHours: 12, missedShare: 0.05 }
  - { day: 0, hour: 14, type: gno-handover, to: Eastern Gas }
plugins:
  gno:
    departingGno: { commandsPerHour: 300, retryAfterHours: 2 }
    dsp: { counterTracking: compare, commandsPerHour: 200, attempts: 2, retryAfterHours: 4 }
`,
);

const STRANDED_SQL = `select count(*) as n from (
  select meter_id from commands_named where sr in ('6.15.1', '6.21') group by meter_id
  having bool_or(sr = '6.15.1' and reason = 'ACCEPTED')
     and count(*) filter (where sr = '6.21' and reason <> 'DCC_QUARANTINED') > 0
     and not bool_or(sr = '6.21' and reason = 'ACCEPTED'))`;

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const stranded = (figures: Record<string, number>) =>
  Object.entries(figures)
    .filter(([name]) => name.includes('stranded'))
    .reduce((sum, [, n]) => sum + n, 0);

test('1 and 2 workers write the same run database; the stranded GPFs match the commands table', async () => {
  const one = await run(['run', scenario, '--workers', '1', '--out', join(dir, 'w1'), '--json']);
  assert.is(one.code, 0, one.err);
  const two = await run(['run', scenario, '--workers', '2', '--out', join(dir, 'w2'), '--json']);
  assert.is(two.code, 0, two.err);
  const a = JSON.parse(one.out);
  const b = JSON.parse(two.out);
  assert.equal(a.figures, b.figures);
  assert.is(await runDigest(a.database), await runDigest(b.database));

  const f = a.figures as Record<string, number>;
  assert.is(f['gno [tracking]: stranded (ACB in the cell, every 6.21 rejected)'], 0);
  const untracked = f['gno [no tracking]: stranded (ACB in the cell, every 6.21 rejected)'] ?? 0;
  assert.ok(untracked > 100, `${untracked} stranded without tracking`);
  assert.ok((f['gno [tracking]: handed over'] ?? 0) > 100);
  assert.ok((f['gno SRV 6.21 [no tracking]: rejected GBCS_REPLAY'] ?? 0) >= untracked);
  assert.ok((f['gno: GPFs never sent SRV 6.15.1 (network sale)'] ?? 0) > 0);

  const counted = await run(['query', a.database, STRANDED_SQL, '--csv']);
  assert.is(counted.code, 0, counted.err);
  assert.is(counted.out.replace(/\r/g, ''), `n\n${stranded(f)}\n`);
  // Only gas meters of the departing GNO are commanded (the snapshot is from before the handover).
  const others = await run([
    'query',
    a.database,
    "select count(*) as n from commands c join meters_named m using (run_id, meter_id) where m.fuel <> 'gas' or m.network_operator_name <> 'Northern Gas'",
    '--csv',
  ]);
  assert.is(others.code, 0, others.err);
  assert.is(others.out.replace(/\r/g, ''), 'n\n0\n');
});

test('the shipped scenario file runs end to end (scaled down with --meters)', async () => {
  const file = resolve(import.meta.dirname, '../../../scenarios/gno-acb-handover.yaml');
  const r = await run(['run', file, '--meters', '2000', '--out', join(dir, 'shipped'), '--json']);
  assert.is(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  const f = s.figures as Record<string, number>;
  assert.is(s.status, 'completed');
  assert.is(f['gno: GPFs of the departing GNO'], 2000);
  assert.is(f['gno [tracking]: stranded (ACB in the cell, every 6.21 rejected)'], 0);
  // A clock a year ahead: no GPF of the no-tracking cohort is handed over.
  assert.is(f['gno [no tracking]: handed over'], 0);
  assert.ok((f['gno [no tracking]: stranded (ACB in the cell, every 6.21 rejected)'] ?? 0) > 700);
});

test('a hostile plugins.gno section exits 2, names the field and value, and writes nothing', async () => {
  const out = join(dir, 'bad');
  const cases: Array<[string, RegExp]> = [
    [
      '    dsp: { counterTracking: sometimes }\n',
      /plugins\.gno\.dsp\.counterTracking: got "sometimes", expected one of "compare", "on", "off"/,
    ],
    [
      '    dsp: { commandsPerHour: -3 }\n',
      /plugins\.gno\.dsp\.commandsPerHour: got -3, expected an integer from 1 to 500000/,
    ],
    ['    departingGno: fast\n', /plugins\.gno\.departingGno: got "fast", expected a mapping/],
    [
      '    dps: {}\n',
      /plugins\.gno\.dps: unknown field, expected one of "departingGno", "dsp" \(did you mean "dsp"\?\)/,
    ],
  ];
  for (const [section, pattern] of cases) {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `name: bad gno
days: 1
fleet: { meters: 10 }
events:
  - { day: 0, type: gno-leaves, operator: Northern Networks, counterLeadHours: 1 }
plugins:
  gno:
${section}`,
    );
    const r = await run(['run', bad, '--out', out]);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, pattern);
    assert.match(r.err, /bad\.yaml/);
  }
  const typo = join(dir, 'typo.yaml');
  writeFileSync(typo, 'name: typo\ndays: 1\nfleet: { meters: 10 }\nplugins:\n  gnoo: {}\n');
  const r = await run(['run', typo, '--out', out]);
  assert.is(r.code, 2);
  assert.match(r.err, /gnoo/);
  assert.not.ok(existsSync(out) && readdirSync(out).length > 0, 'no database was written');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
