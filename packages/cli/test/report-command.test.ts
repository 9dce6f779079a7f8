/**
 * `gbfleet report` end to end: the DP095 calibration (scenarios/credit-cover-dp095.yaml through
 * `gbfleet run`, then the charges table and the socialised-cost report), 1 vs 2 workers, a
 * comparison of two runs, and bad input: exit 2, a message that names what was wrong, and
 * nothing written (not even when a write fails half-way).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// reports' holder of a DuckDB file in a child process, as a live run holds its .partial.
import { withHeldDatabase } from '../../reports/test/helpers/held-database.ts';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const DP095 = fileURLToPath(new URL('../../../scenarios/credit-cover-dp095.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-report-'));
const small = join(dir, 'small.yaml');
writeFileSync(
  small,
  `name: report cli
seed: "3"
start: "2026-03-30T00:00:00Z"
days: 4
stepMinutes: 120
fleet:
  meters: 50
  paymentMode: { prepayment: 0.6, credit: 0.4 }
  prepayment: { initialCreditPounds: { min: 0, max: 6 }, emergencyCreditPounds: 2 }
  suppliers:
    - { name: Aurora Energy, share: 0.6, meterPoints: 500000 }
    - { name: Cobalt Supply, share: 0.4, meterPoints: 200000, creditCoverPence: 3000000 }
events:
  - { day: 1, hour: 4, type: supplier-fails, supplier: Cobalt Supply }
`,
);

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

async function engineRun(scenario: string, out: string, extra: string[] = []): Promise<string> {
  const r = await cli(['run', scenario, '--out', out, '--json', ...extra]);
  assert.is(r.code, 0, r.err);
  return JSON.parse(r.out).database as string;
}

function csvRows(path: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\r\n');
  const names = (head ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

const pounds = (pence: number) => Math.round(pence / 100 / 1000) * 1000;

test('DP095: five parties cease trading, about £731,000 socialised, the largest case about £362,000', async () => {
  const db = await engineRun(DP095, join(dir, 'dp095'), ['--workers', '1']);
  const q = await cli([
    'query',
    db,
    `SELECT party_name, sum(unpaid_pence) AS unpaid, sum(socialised_pence) AS socialised
     FROM credit_cover GROUP BY ALL HAVING sum(unpaid_pence) > 0 ORDER BY socialised DESC`,
    '--json',
  ]);
  assert.is(q.code, 0, q.err);
  const failed = q.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.is(failed.length, 5, 'five parties ceased trading');
  const total = failed.reduce((sum, p) => sum + p.socialised, 0);
  assert.is(pounds(total), 731_000);
  assert.is(pounds(failed[0].socialised), 362_000);
  // The largest case: cover for its first missed month only, every later month socialised.
  const months = await cli([
    'query',
    db,
    `SELECT month, charges_pence, cover_drawn_pence, socialised_pence FROM credit_cover
     WHERE party_name = '${failed[0].party_name}' AND unpaid_pence > 0 ORDER BY month`,
    '--json',
  ]);
  const rows = months.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.ok(rows.length >= 2);
  assert.is(rows[0].cover_drawn_pence, rows[0].charges_pence, 'first missed month covered');
  assert.is(rows[0].socialised_pence, 0);
  for (const later of rows.slice(1)) {
    assert.is(later.cover_drawn_pence, 0);
    assert.is(later.socialised_pence, later.charges_pence);
  }
  // The same figures through the socialised-cost report.
  const out = join(dir, 'dp095-report');
  const r = await cli(['report', db, '--report', 'socialised-cost', '--format', 'csv', '--out', out]);
  assert.is(r.code, 0, r.err);
  const [totals] = csvRows(join(out, 'socialised-cost', 'totals.csv'));
  assert.is(totals?.failed_parties, '5');
  assert.is(pounds(Number(totals?.socialised_gbp) * 100), 731_000);
  assert.is(pounds(Number(totals?.largest_case_gbp) * 100), 362_000);
  assert.is(totals?.largest_case, failed[0].party_name);
  // Same seed, 2 workers: the same outcomes.
  const two = await engineRun(DP095, join(dir, 'dp095-w2'), ['--workers', '2']);
  assert.is(await runDigest(two), await runDigest(db));
});

test('md, html and csv with a PNG per chart; two runs compared in one report', async () => {
  const a = await engineRun(small, join(dir, 'runs'));
  const b = await engineRun(small, join(dir, 'runs'), ['--seed', '4']);
  const out = join(dir, 'compare');
  const r = await cli(['report', a, b, '--out', out]);
  assert.is(r.code, 0, r.err);
  for (const name of ['alerts', 'credit-cover', 'socialised-cost']) {
    for (const ext of ['md', 'html']) assert.ok(existsSync(join(out, `${name}.${ext}`)), `${name}.${ext}`);
    const files = readdirSync(join(out, name));
    assert.ok(files.some((f) => f.endsWith('.csv')) && files.some((f) => f.endsWith('.png')), name);
    for (const png of files.filter((f) => f.endsWith('.png'))) {
      assert.equal([...readFileSync(join(out, name, png)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    }
  }
  assert.equal(
    r.out.trim().split('\n').length,
    readdirSync(out, { recursive: true }).filter((f) => String(f).includes('.')).length,
  );
  assert.not.ok(
    readdirSync(out, { recursive: true }).some((f) => String(f).includes('.tmp-')),
    'no temporary file left',
  );
  const totals = csvRows(join(out, 'alerts', 'totals.csv'));
  assert.is(totals.length, 2, 'one row per run');
  const html = readFileSync(join(out, 'credit-cover.html'), 'utf8');
  assert.match(html, /report-cli-s3-/);
  assert.match(html, /report-cli-s4-/);
  const md = readFileSync(join(out, 'socialised-cost.md'), 'utf8');
  // Cobalt: 200,000 points × 30p = £60,000 a month, March and April unpaid, £30,000 of cover.
  assert.match(
    md,
    /\| report-cli-s3-[^|]+ \| 1 \| 120,000\.00 \| 30,000\.00 \| 90,000\.00 \| Cobalt Supply \| 90,000\.00 \|/,
  );
  const only = await cli(['report', a, '--format', 'md,csv', '--report', 'alerts', '--out', join(dir, 'only')]);
  assert.is(only.code, 0, only.err);
  assert.equal(readdirSync(join(dir, 'only')).sort(), ['alerts', 'alerts.md']);
  const help = await cli(['help', 'report']);
  assert.match(help.out, /--format F/);
});

test('bad input exits 2, names what was wrong, and writes nothing', async () => {
  const run = readdirSync(join(dir, 'runs')).find((f) => f.endsWith('.duckdb')) as string;
  const db = join(dir, 'runs', run);
  const out = join(dir, 'bad-out');
  const text = join(dir, 'text.duckdb');
  writeFileSync(text, 'not a database');
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'x');
  const sql = join(dir, 'sql');
  mkdirSync(join(sql, 'mine'), { recursive: true });
  writeFileSync(join(sql, 'mine', '_report.sql'), '-- title: Mine\n');
  writeFileSync(join(sql, 'mine', '01-broken.sql'), '-- title: Broken\n-- chart: {"mark": "bar",\nSELECT 1');
  const sqlFails = join(dir, 'sql-fails');
  mkdirSync(join(sqlFails, 'mine'), { recursive: true });
  writeFileSync(join(sqlFails, 'mine', '_report.sql'), '-- title: Mine\n');
  writeFileSync(join(sqlFails, 'mine', '01-typo.sql'), '-- title: Typo\nSELEC 1');
  writeFileSync(join(dir, 'writing.duckdb.partial'), '');
  for (const [args, pattern] of [
    [['report'], /at least one run database/],
    [['report', '--out', out], /at least one run database/],
    [['report', join(dir, 'nope.duckdb'), '--out', out], /no run database at .*nope\.duckdb/],
    [
      ['report', join(dir, 'writing.duckdb'), '--out', out],
      /writing\.duckdb\.partial is there, from a run that is not running any more/,
    ],
    [['report', dir, '--out', out], /is a folder, expected a run database file/],
    [['report', text, '--out', out], /text\.duckdb: is not a DuckDB file/],
    [['report', db, db, '--out', out], /give each run once/],
    [['report', db, '--format', 'pdf', '--out', out], /--format "pdf" is not a format: use md, html or csv/],
    [['report', db, '--format', 'md,xls', '--out', out], /--format "xls"/],
    [['report', db, '--out', aFile], /--out .*a-file is a file, expected a folder/],
    [['report', db, '--out', ''], /--out is empty/],
    [['report', db, '--report', 'alert', '--out', out], /no such report: expected one of "alerts"/],
    [['report', db, '--sql', join(dir, 'no-sql'), '--out', out], /no-sql: is not a folder of report definitions/],
    [['report', db, '--sql', sql, '--out', out], /01-broken\.sql: line 2: the chart is not valid JSON/],
    [['report', db, '--sql', sqlFails, '--out', out], /01-typo\.sql: its SQL failed/],
    [['report', db, '--bogus', '--out', out], /bogus/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern);
    assert.match(r.err, /^gbfleet: report/);
  }
  assert.not.ok(existsSync(out), 'nothing was written');
});

test('a run still being written by another process is named, with its PID (exit 2)', async () => {
  const final = join(dir, 'live.duckdb');
  await withHeldDatabase(`${final}.partial`, async (pid) => {
    for (const args of [
      ['report', final, '--out', join(dir, 'live-out')],
      ['export', '--parquet', join(dir, 'live-parquet'), final],
    ]) {
      const r = await cli(args);
      assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(
        r.err,
        new RegExp(`live\\.duckdb is not finished yet: its run is still being written by process ${pid}\\b`),
      );
      assert.not.match(r.err, /not running/);
    }
  });
  assert.not.ok(existsSync(join(dir, 'live-out')) || existsSync(join(dir, 'live-parquet')));
});

test('the charges fields are checked: meterPoints and unpaidMonths name the field, the value and the range', async () => {
  const bad = join(dir, 'bad-charges.yaml');
  writeFileSync(
    bad,
    `name: bad charges
days: 3
fleet:
  meters: 10
  suppliers:
    - { name: A, share: 0.5, meterPoints: -4 }
    - { name: B, share: 0.5, meterPoints: 2.5 }
events:
  - { day: 1, type: supplier-fails, supplier: A, unpaidMonths: 0 }
  - { day: 1, type: supplier-fails, supplier: B, unpaidMonths: "3" }
  - { day: 2, type: supplier-fails, supplier: B, unpaidMonth: 3 }
`,
  );
  const out = join(dir, 'bad-charges-out');
  const r = await cli(['run', bad, '--out', out]);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /fleet\.suppliers\[0\]\.meterPoints: got -4, expected an integer from 0 to 100000000/);
  assert.match(r.err, /fleet\.suppliers\[1\]\.meterPoints: got 2\.5, expected an integer/);
  assert.match(r.err, /events\[0\]\.unpaidMonths: got 0, expected an integer from 1 to 120/);
  assert.match(
    r.err,
    /events\[1\]\.unpaidMonths: got "3", expected an integer from 1 to 120 \(write the number without quotes/,
  );
  assert.match(r.err, /events\[2\]\.unpaidMonth: unknown field \(did you mean "unpaidMonths"\?\)/);
  assert.not.ok(existsSync(out) && readdirSync(out).length > 0, 'nothing ran');
});

test('a write that fails half-way leaves no report file and no temporary file', async () => {
  const run = readdirSync(join(dir, 'runs')).find((f) => f.endsWith('.duckdb')) as string;
  const out = join(dir, 'blocked');
  mkdirSync(out);
  // A file where the report's folder of CSVs must go: alerts.md is staged first, then this fails.
  writeFileSync(join(out, 'credit-cover'), 'in the way');
  const r = await cli([
    'report',
    join(dir, 'runs', run),
    '--report',
    'alerts',
    '--report',
    'credit-cover',
    '--out',
    out,
  ]);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /cannot write into/);
  assert.equal(readdirSync(out, { recursive: true }).map(String), ['credit-cover']);
  assert.is(readFileSync(join(out, 'credit-cover'), 'utf8'), 'in the way');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
