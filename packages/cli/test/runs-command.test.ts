/**
 * `gbfleet runs [DIR]`: lists the run databases in a folder with status and key outcomes, read
 * only (the files are byte for byte the same afterwards); an interrupted run, a run still being
 * written and a file that is not a run are each shown for what they are; bad input exits 2.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { jsonLines, spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-runs-'));
const runs = join(dir, 'runs');
const scenario = join(dir, 'tiny.yaml');
writeFileSync(
  scenario,
  `name: runs list
seed: "11"
start: "2026-04-29T00:00:00Z"
days: 3
stepMinutes: 120
fleet:
  meters: 40
  paymentMode: { prepayment: 0.5, credit: 0.5 }
  prepayment: { initialCreditPounds: { min: 0, max: 5 }, emergencyCreditPounds: 2 }
  suppliers:
    - { name: Aurora Energy, share: 0.7, meterPoints: 100000 }
    - { name: Cobalt Supply, share: 0.3, meterPoints: 50000, creditCoverPence: 0 }
events:
  - { day: 1, type: supplier-fails, supplier: Cobalt Supply }
`,
);

async function cli(args: string[], io = memoryIo()) {
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

/** The fields of a `runs --json` row these tests read. */
type Listed = { status: string; file: string; error: string };

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('lists completed and interrupted runs, partial and unreadable files, without changing any', async () => {
  const done = await cli(['run', scenario, '--out', runs, '--json']);
  assert.is(done.code, 0, done.err);
  // A second run, stopped by Ctrl-C after its first step.
  const io = memoryIo();
  const err = io.err;
  io.err = (text: string) => {
    err(text);
    if (text.startsWith('run: step')) io.interrupt();
  };
  const stopped = await cli(['run', scenario, '--seed', '12', '--out', runs, '--json'], io);
  assert.is(stopped.code, 1, stopped.err);
  writeFileSync(join(runs, 'junk.duckdb'), 'not a run');
  writeFileSync(join(runs, 'still-going.duckdb.partial'), '');
  const files = readdirSync(runs).map((f) => join(runs, f));
  const before = files.map(digest);

  const table = await cli(['runs', runs]);
  assert.is(table.code, 0, table.err);
  assert.match(table.out, /^file +status +scenario/);
  assert.match(table.out, /\(4 rows\)/);

  const json = await cli(['runs', runs, '--json']);
  const rows = jsonLines(json.out);
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r]));
  assert.equal(Object.keys(byStatus).sort(), ['completed', 'dead', 'interrupted', 'unreadable']);
  const completed = byStatus.completed;
  assert.is(completed.scenario, 'runs list');
  assert.is(completed.seed, '11');
  assert.is(completed.days, 3);
  assert.is(completed.meters, 40);
  assert.ok(completed.commands > 0 && completed.alerts > 0);
  // Cobalt: 50,000 points × 30p = £15,000 a month, no cover; the run spans April and May.
  assert.is(completed.socialised_gbp, 30_000);
  assert.is(byStatus.interrupted.seed, '12');
  assert.ok(byStatus.interrupted.commands >= 0);
  assert.is(completed.days_run, 3);
  assert.ok(byStatus.interrupted.days_run > 0 && byStatus.interrupted.days_run < 3, 'how far it got');
  assert.match(byStatus.unreadable.error, /not a readable gbfleet run database/);
  assert.is(byStatus.dead.file, 'still-going.duckdb.partial');
  assert.match(byStatus.dead.error, /no process holds it/);
  assert.is(byStatus.dead.resumable, 'no: no checkpoint');
  assert.is(completed.resumable, null, 'a finished run is not resumed');
  assert.equal(files.map(digest), before, 'listing changed no file');

  // An interrupted run still reports, with a warning that it stopped early.
  const out = join(dir, 'reports');
  const report = await cli(['report', join(runs, byStatus.interrupted.file), '--format', 'md', '--out', out]);
  assert.is(report.code, 0, report.err);
  assert.match(
    readFileSync(join(out, 'alerts.md'), 'utf8'),
    /\*\*runs-list-s12-[^*]+ is interrupted\*\*: it holds what the run wrote/,
  );

  const csv = await cli(['runs', runs, '--csv']);
  assert.is(
    csv.out.split('\r\n')[0],
    'file,status,scenario,seed,start,days,days_run,meters,commands,not_accepted,alerts,alerts_to_non_registered,off_supply_at_end,socialised_gbp,error,resumable',
  );
});

test("a live run's .partial is running, named by its PID; once the run is killed it is dead", async () => {
  const out = join(dir, 'live');
  const child = spawnGbfleet(['run', scenario, '--days', '400', '--out', out], ['ignore', 'ignore', 'pipe']);
  const exited = new Promise((done) => child.on('close', done));
  let stderr = '';
  try {
    // Wait for progress: the .partial exists and the run is writing it.
    for await (const chunk of child.stderr ?? []) {
      stderr += chunk;
      if (/run: step/.test(stderr)) break;
    }
    assert.match(stderr, /run: step/, 'the run printed progress');
    const live = await cli(['runs', out, '--json']);
    const [running] = jsonLines<Listed>(live.out);
    assert.is(running.status, 'running', live.out);
    assert.match(running.file, /\.duckdb\.partial$/);
    assert.match(running.error, new RegExp(`being written by process ${child.pid}\\b`));
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  const after = await cli(['runs', out, '--json']);
  const [dead] = jsonLines<Listed>(after.out);
  assert.is(dead.status, 'dead', after.out);
  assert.match(dead.error, /no process holds it: the run was killed or crashed before it finished/);
});

test('an empty folder says so; help', async () => {
  const none = mkdtempSync(join(dir, 'none-'));
  const out = await cli(['runs', none]);
  assert.is(out.code, 0, out.err);
  assert.is(out.out, `No run databases in ${none}.\n`);
  assert.match((await cli(['help', 'runs'])).out, /gbfleet runs \[DIR\]/);
});

test('bad input exits 2 with a message that names it', async () => {
  writeFileSync(join(dir, 'a-file'), 'x');
  for (const [args, pattern] of [
    [['runs', join(dir, 'nope')], /runs: .*nope: no such folder/],
    [['runs', join(dir, 'a-file')], /a-file: is a file, expected a folder of run databases/],
    [['runs', runs, runs], /at most one folder, got 2/],
    [['runs', runs, '--json', '--csv'], /choose one of --json and --csv/],
    [['runs', runs, '--bogus'], /bogus/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
