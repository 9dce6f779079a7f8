/**
 * The attack matrix through `gbfleet run`, the DuckDB run database and `gbfleet report`: the
 * shipped scenarios/hostile-party.yaml (scaled down with --meters) records every hostile command
 * with its attack and reason; the attacks report's table, computed by SQL, has a row per attack
 * with sent = refused by the DCC + refused by the meter and accepted = 0; `gbfleet query` sees
 * the column; an ordinary run's table is empty; a hostile section exits 2, naming the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-hostile-'));
const SHIPPED = resolve(import.meta.dirname, '../../../scenarios/hostile-party.yaml');
const DEFAULT = resolve(import.meta.dirname, '../../../scenarios/default.yaml');

/** Which reason codes each attack is refused with (the meter's, but for the two DCC rows). */
const EXPECTED: Record<string, { dcc: string; meter: string }> = {
  'forged-signature': { dcc: '', meter: 'GBCS_SIGNATURE_INVALID' },
  'wrong-signer': { dcc: '', meter: 'GBCS_UNKNOWN_PARTY' },
  'replayed-counter': { dcc: '', meter: 'GBCS_REPLAY' },
  'equal-counter': { dcc: '', meter: 'GBCS_REPLAY' },
  'stale-counter': { dcc: '', meter: 'GBCS_REPLAY' },
  'revoked-certificate': { dcc: 'DCC_CERTIFICATE_REVOKED', meter: '' },
  'ineligible-sender': { dcc: 'DCC_E4_NOT_ELIGIBLE', meter: '' },
  'tampered-mac': { dcc: '', meter: 'GBCS_MAC_INVALID' },
  'wrong-recipient': { dcc: '', meter: 'GBCS_WRONG_DEVICE' },
  'old-network-operator': { dcc: '', meter: 'GBCS_UNKNOWN_PARTY' },
  'utrn-replay': { dcc: '', meter: 'GBCS_REPLAY' },
  'utrn-outside-window': { dcc: '', meter: 'GBCS_REPLAY' },
  'utrn-brute-force': { dcc: '', meter: 'GBCS_MAC_INVALID,DEVICE_REFUSED' },
};

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

/** One CSV line's cells (a code list is quoted when it holds a comma). */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** The attacks report's matrix section as CSV rows, header first. */
async function matrixRows(database: string, out: string): Promise<string[][]> {
  const r = await run(['report', database, '--report', 'attacks', '--format', 'csv', '--out', out]);
  assert.is(r.code, 0, r.err);
  const lines = readFileSync(join(out, 'attacks', 'matrix.csv'), 'utf8')
    .replace(/\r/g, '')
    .trim()
    .split('\n');
  return lines.map(cellsOf);
}

test('the shipped scenario: every attack recorded and refused, the report table says accepted 0', async () => {
  const r = await run(['run', SHIPPED, '--meters', '6000', '--workers', '2', '--out', join(dir, 'shipped'), '--json']);
  assert.is(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.is(summary.status, 'completed');
  const [header, ...rows] = await matrixRows(summary.database, join(dir, 'report'));
  assert.equal(header?.slice(1), [
    'attack',
    'sent',
    'rejected_by_dcc',
    'dcc_codes',
    'rejected_by_meter',
    'meter_codes',
    'undelivered',
    'accepted',
  ]);
  assert.equal(
    rows.map((row) => row[1]),
    Object.keys(EXPECTED),
  );
  for (const row of rows) {
    const [, attack, sent, byDcc, dccCodes, byMeter, meterCodes, undelivered, accepted] = row as string[];
    const expected = EXPECTED[attack as string] as { dcc: string; meter: string };
    assert.ok(Number(sent) > 0, `${attack}: sent`);
    assert.is(accepted, '0', `${attack}: accepted`);
    assert.is(undelivered, '0', `${attack}: undelivered`);
    assert.is(Number(byDcc) + Number(byMeter), Number(sent), `${attack}: every one refused`);
    const codes = (text: string) =>
      text
        .split(/, ?/)
        .map((c) => c.split(' ')[0])
        .filter(Boolean)
        .sort();
    assert.equal(codes(dccCodes as string), codes(expected.dcc.replace(/,/g, ', ')), `${attack}: DCC codes`);
    assert.equal(codes(meterCodes as string), codes(expected.meter.replace(/,/g, ', ')), `${attack}: meter codes`);
  }

  // The analyst's way in: the column is queryable, and agrees with the summary's figure.
  const q = await run([
    'query',
    summary.database,
    "select count(*) as n, count(*) filter (where reason = 'ACCEPTED') as accepted from commands where attack <> 'none'",
    '--csv',
  ]);
  assert.is(q.code, 0, q.err);
  assert.is(q.out.replace(/\r/g, ''), `n,accepted\n${summary.figures['hostile commands sent']},0\n`);
});

test('an ordinary run: no attack rows, an empty table', async () => {
  const r = await run(['run', DEFAULT, '--meters', '1000', '--days', '2', '--out', join(dir, 'ordinary'), '--json']);
  assert.is(r.code, 0, r.err);
  const [header, ...rows] = await matrixRows(JSON.parse(r.out).database, join(dir, 'ordinary-report'));
  assert.ok(header && header.length > 0);
  assert.equal(rows, []);
});

test('a hostile plugins.hostile section exits 2 and names the field', async () => {
  const cases: Array<[string, RegExp]> = [
    ['    attacks: [{ type: phishing, day: 0 }]\n', /plugins\.hostile\.attacks\[0\]\.type: got "phishing"/],
    ['    attacks: [{ type: tampered-mac, day: 9 }]\n', /plugins\.hostile\.attacks\[0\]\.day: got 9/],
    ['    attacks: [{ type: revoked-certificate, day: 0 }]\n', /plugins\.hostile\.formerSupplier: missing/],
    ['    atacks: []\n', /plugins\.hostile\.atacks: unknown field/],
  ];
  for (const [section, pattern] of cases) {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `name: bad hostile\ndays: 1\nfleet: { meters: 10 }\nplugins:\n  hostile:\n${section}`);
    const r = await run(['run', bad, '--out', join(dir, 'bad')]);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, pattern);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
