/**
 * `gbfleet export --parquet DIR RUN_DB...`: a real run exported, with the run database's row
 * counts (the files themselves are read back in reports' parquet-export test); bad flags and bad
 * input exit 2 and write nothing.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-export-'));
const runs = join(dir, 'runs');
const scenario = join(dir, 'tiny.yaml');
writeFileSync(
  scenario,
  `name: export test
seed: "21"
start: "2026-04-29T00:00:00Z"
days: 2
stepMinutes: 120
fleet:
  meters: 30
  paymentMode: { prepayment: 0.5, credit: 0.5 }
  suppliers:
    - { name: Aurora Energy, share: 1, meterPoints: 100000 }
`,
);

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

test('a run exports to Parquet: a row per table with the run database counts, progress on stderr', async () => {
  const done = await cli(['run', scenario, '--out', runs, '--json']);
  assert.is(done.code, 0, done.err);
  const [file] = readdirSync(runs).filter((f) => f.endsWith('.duckdb'));
  const runDb = join(runs, file as string);
  const out = join(dir, 'parquet');
  const exported = await cli(['export', '--parquet', out, runDb]);
  assert.is(exported.code, 0, exported.err);
  assert.match(exported.err, /^export: .*: 10 tables, [\d,]+ rows\n$/);
  const expected = await queryRunDatabase(runDb, 'SELECT count(*) FROM commands');
  const line = exported.out.split('\n').find((l) => l.startsWith('commands'));
  assert.ok(line?.includes(String(expected.rows[0]?.[0])), exported.out);
  assert.match(exported.out, /written to .*<table>\/run_id=<run id>\/data\.parquet/);
  assert.ok(readdirSync(join(out, 'commands'))[0]?.startsWith('run_id='));

  const again = await cli(['export', '--parquet', out, runDb]);
  assert.is(again.code, 2);
  assert.match(again.err, /already holds 10 of these partitions .* use --replace/);
  assert.is((await cli(['export', '--parquet', out, '--replace', runDb])).code, 0);
  const queried = await cli(['query', out, 'select count(*) as commands from commands', '--csv']);
  assert.is(queried.code, 0, queried.err);
  assert.is(queried.out, `commands\r\n${expected.rows[0]?.[0]}\r\n`);
});

test('a --parquet folder that cannot be made exits 2, naming it, and writes nothing', async () => {
  const [file] = readdirSync(runs).filter((f) => f.endsWith('.duckdb'));
  const runDb = join(runs, file as string);
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'not a folder');
  const cases: Array<[string, RegExp]> = [
    [aFile, /a-file: exists and is not a folder/],
    [join(aFile, 'sub'), /a-file\/sub: cannot be made: .*a-file is a file, not a folder/],
    [
      join(dir, 'no-such-parent', 'sub'),
      /no-such-parent\/sub: cannot be made: its parent folder .*no-such-parent does not exist/,
    ],
  ];
  for (const [out, message] of cases) {
    const result = await cli(['export', '--parquet', out, runDb]);
    assert.is(result.code, 2, `${out}: ${result.err}`);
    assert.match(result.err, message);
    assert.not.match(result.err, /\b(ENOTDIR|ENOENT|EEXIST|EACCES|EROFS)\b/);
    assert.is(result.out, '');
  }
  assert.not.ok(existsSync(join(dir, 'no-such-parent')));
});

test('bad flags and bad input exit 2 and write nothing', async () => {
  const out = join(dir, 'never');
  const cases: Array<[string[], RegExp]> = [
    [['export', join(dir, 'x.duckdb')], /export needs --parquet DIR/],
    [['export', '--parquet', out], /at least one run database/],
    [['export', '--parquet', '', 'a.duckdb'], /--parquet needs a folder name/],
    [['export', '--parquet', out, '--bogus', 'a.duckdb'], /export: Unknown option '--bogus'/],
    [['export', '--parquet', out, join(dir, 'missing.duckdb')], /no run database at .*missing\.duckdb/],
    [['export', '--parquet', out, scenario], /tiny\.yaml: is not a DuckDB file/],
  ];
  for (const [args, message] of cases) {
    const result = await cli(args);
    assert.is(result.code, 2, args.join(' '));
    assert.match(result.err, message);
  }
  assert.not.ok(existsSync(out));
  const help = await cli(['help', 'export']);
  assert.match(help.out, /^gbfleet export --parquet DIR RUN_DB/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
