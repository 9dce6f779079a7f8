/**
 * `gbfleet run` and `gbfleet query` end to end: a real scenario file, real workers, a real DuckDB
 * file. Same scenario and seed give the same outcome tables for 1 and 2 workers; Ctrl-C marks the
 * run interrupted; bad scenarios and flags exit 2 and leave no database behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-run-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(
  scenario,
  `name: small test
seed: "42"
days: 2
fleet:
  meters: 3000
  paymentMode: { prepayment: 0.5, credit: 0.5 }
  prepayment: { initialCreditPounds: { min: 0, max: 6 }, emergencyCreditPounds: 2 }
events:
  - { day: 0, hour: 18, type: weather-surge, multiplier: 2, hours: 12 }
  - { day: 1, hour: 3, type: supplier-fails, supplier: Cobalt Supply }
`,
);

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, io, out: io.stdout.join(''), err: io.stderr.join('') };
}

test('a run writes a completed run database; 1 and 2 workers give the same outcomes', async () => {
  const one = await run(['run', scenario, '--workers', '1', '--out', join(dir, 'w1'), '--json']);
  assert.is(one.code, 0, one.err);
  const two = await run(['run', scenario, '--workers', '2', '--out', join(dir, 'w2'), '--json']);
  assert.is(two.code, 0, two.err);
  const a = JSON.parse(one.out);
  const b = JSON.parse(two.out);
  assert.is(a.status, 'completed');
  assert.ok(existsSync(a.database) && !existsSync(`${a.database}.partial`));
  assert.ok(a.commands.total > 0 && a.alerts.total > 0);
  assert.ok(a.topUps.notVended > 0, 'the failed supplier stops vending');
  assert.equal(a.commands, b.commands);
  assert.is(await runDigest(a.database), await runDigest(b.database));
  const status = await run(['query', a.database, 'select status, workers from runs', '--json']);
  assert.is(status.code, 0, status.err);
  assert.equal(JSON.parse(status.out), { status: 'completed', workers: 1 });
  // The code version recorded is the CLI package's own, never a copy that goes stale.
  const version = await run(['query', a.database, 'select code_version from runs', '--json']);
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
  assert.equal(JSON.parse(version.out), { code_version: manifest.version });
  const counted = await run(['query', a.database, 'select count(*) as n from commands', '--csv']);
  assert.is(counted.out.replace(/\r/g, ''), `n\n${a.commands.total}\n`);
});

test('another seed gives other outcomes', async () => {
  const other = await run(['run', scenario, '--seed', '43', '--out', join(dir, 'seed43'), '--json']);
  assert.is(other.code, 0, other.err);
  const first = readdirSync(join(dir, 'w1'))[0] as string;
  assert.is.not(await runDigest(JSON.parse(other.out).database), await runDigest(join(dir, 'w1', first)));
});

test('Ctrl-C stops at the end of the step and marks the run interrupted', async () => {
  const io = memoryIo();
  const err = io.err;
  let interrupted = false;
  io.err = (text: string) => {
    err(text);
    if (!interrupted && text.startsWith('run: step')) {
      interrupted = true;
      io.interrupt();
    }
  };
  const code = await runCli(['run', scenario, '--out', join(dir, 'int'), '--json'], io);
  assert.is(code, 1);
  const summary = JSON.parse(io.stdout.join(''));
  assert.is(summary.status, 'interrupted');
  assert.ok(summary.stepsRun < summary.stepsPlanned);
  const status = await run(['query', summary.database, 'select status from runs', '--csv']);
  assert.is(status.out.replace(/\r/g, ''), 'status\ninterrupted\n');
});

test('bad flags and bad scenarios exit 2 and write nothing', async () => {
  const out = join(dir, 'bad');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: bad\nfleet:\n  metres: 10\n');
  for (const [args, pattern] of [
    [['run'], /exactly one scenario file/],
    [['run', scenario, '--meters', 'many', '--out', out], /--meters/],
    [['run', scenario, '--workers', '0', '--out', out], /--workers/],
    [['run', scenario, '--days', '-1', '--out', out], /--days|-1/],
    [['run', scenario, '--bogus'], /bogus/],
    [['run', join(dir, 'missing.yaml'), '--out', out], /missing\.yaml/],
    [['run', bad, '--out', out], /metres/],
    [['query', join(dir, 'nope.duckdb'), 'select 1'], /nope\.duckdb/],
    [['query', 'a.duckdb'], /SQL/],
    [['run', scenario, '--seed', 'x'.repeat(201), '--out', out], /--seed has 201 characters: at most 200/],
    [['run', scenario, '--seed', '  ', '--out', out], /--seed must not be empty/],
    [['run', scenario, '--out', scenario], new RegExp(`--out ${literal(scenario)} is a file, not a folder`)],
    [['run', scenario, '--out', join(scenario, 'runs')], /--out .*small\.yaml\/runs is inside a file/],
    // Linux's kernel folder: nothing can be made in /sys, even by root.
    [['run', scenario, '--out', '/sys/gbfleet-test'], /--out \/sys\/gbfleet-test is (not writable|on a read-only)/],
  ] as Array<[string[], RegExp]>) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern);
  }
  assert.not.ok(existsSync(out) && readdirSync(out).length > 0, 'no database was written');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
