/**
 * Two writers at one place: two runs of the same segment K into one folder, a merge while a
 * segment is being written, two merges into one --into. One wins; the other gets a clear error
 * naming the holder; no file is corrupted. The interleaving is forced, never timed: the first
 * process is frozen with SIGSTOP once its progress shows it holds the place (segment-lock.ts,
 * or DuckDB's lock on the `.partial`), the second runs to its end, then the first is resumed.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-two-writers-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(
  scenario,
  `name: small
seed: "5"
days: 2
fleet:
  meters: 1500
  shardMeters: 750
  paymentMode: { prepayment: 0.5, credit: 0.5 }
`,
);

interface Started {
  child: ChildProcess;
  /** Settles when stderr first shows `marker`. */
  reached: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
}

function start(args: readonly string[], marker = ''): Started {
  const child = spawnGbfleet(args);
  let stderr = '';
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  child.stdout?.resume();
  child.stderr?.on('data', (c) => {
    stderr += c;
    if (marker && stderr.includes(marker)) reach();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      reach();
      resolve({ code, stderr });
    }),
  );
  return { child, reached, done };
}

/** Freezes `first` once it shows `marker`, runs `second` to its end, then lets `first` go on. */
async function whileFrozen<T>(first: Started, second: () => Promise<T>): Promise<T> {
  await first.reached;
  assert.ok(first.child.kill('SIGSTOP'), 'the first process is still running when frozen');
  try {
    return await second();
  } finally {
    first.child.kill('SIGCONT');
  }
}

const segmentArgs = (k: number, out: string) => [
  'run',
  scenario,
  '--workers',
  '1',
  '--segment',
  `${k}/2`,
  '--out',
  out,
];

/**
 * `gbfleet ARGS` in this process: the second writer, and the steps around the race. It meets the
 * first (a process of its own) through the same OS locks a third process would, and saves a
 * process start on a busy machine.
 */
async function gbfleet(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, stderr: io.stderr.join('') };
}

async function segmentInProcess(k: number, out: string): Promise<void> {
  const result = await gbfleet(segmentArgs(k, out));
  assert.is(result.code, 0, result.stderr);
}

async function assertWholeRun(db: string): Promise<void> {
  const result = await queryRunDatabase(db, 'SELECT CAST(status AS VARCHAR), CAST(meters AS INTEGER) FROM runs');
  assert.equal(result.rows, [['completed', 1500]], `${db} is a whole, completed run`);
  const meters = await queryRunDatabase(db, 'SELECT CAST(count(*) AS INTEGER) FROM meters');
  assert.equal(meters.rows, [[1500]]);
}

test('two runs of the same segment K into one folder: one writes it, the other is refused', async () => {
  const out = join(dir, 'same-k');
  const first = start(segmentArgs(0, out), 'run: step');
  const second = await whileFrozen(first, () => gbfleet(segmentArgs(0, out)));
  assert.is(second.code, 2, second.stderr);
  assert.match(second.stderr, `segment 0 of run `);
  assert.match(second.stderr, `is in use by process ${first.child.pid}`);
  assert.is((await first.done).code, 0);
  await segmentInProcess(1, out);
  const merge = await gbfleet(['merge', out, '--into', join(dir, 'same-k.duckdb')]);
  assert.is(merge.code, 0, merge.stderr);
  await assertWholeRun(join(dir, 'same-k.duckdb'));
});

test('a merge while a segment is still writing: missing if it never finished, refused if it is a retry', async () => {
  const out = join(dir, 'racing');
  await segmentInProcess(0, out);
  // Segment 1's first run, frozen mid-run: it has no manifest yet, so the merge sees it missing.
  const writing = start(segmentArgs(1, out), 'run: step');
  const early = await whileFrozen(writing, () => gbfleet(['merge', out]));
  assert.is(early.code, 2, early.stderr);
  assert.match(early.stderr, 'missing segment 1 of 2');
  assert.is((await writing.done).code, 0);
  // A retry of segment 1 over its complete files: the merge is refused while the retry runs.
  const retry = start(segmentArgs(1, out), 'run: step');
  const during = await whileFrozen(retry, () => gbfleet(['merge', out, '--into', join(dir, 'racing.duckdb')]));
  assert.is(during.code, 2, during.stderr);
  assert.match(during.stderr, `segment 1 of run `);
  assert.match(during.stderr, `in use by process ${retry.child.pid}`);
  assert.not.ok(existsSync(join(dir, 'racing.duckdb')), 'the refused merge wrote nothing');
  assert.is((await retry.done).code, 0);
  const after = await gbfleet(['merge', out, '--into', join(dir, 'racing.duckdb')]);
  assert.is(after.code, 0, after.stderr);
  await assertWholeRun(join(dir, 'racing.duckdb'));
});

test('two merges into one --into at once: one writes it, the other is refused', async () => {
  const out = join(dir, 'merge-twice');
  await segmentInProcess(0, out);
  await segmentInProcess(1, out);
  const copy = join(dir, 'merge-twice-copy');
  cpSync(out, copy, { recursive: true });
  const into = join(dir, 'merged-twice.duckdb');
  const first = start(['merge', out, '--into', into], 'merge: parties');
  const [sameFolder, otherFolder] = await whileFrozen(first, () =>
    Promise.all([gbfleet(['merge', out, '--into', into]), gbfleet(['merge', copy, '--into', into])]),
  );
  // The same folder: its segments are held by the first merge.
  assert.is(sameFolder.code, 2, sameFolder.stderr);
  assert.match(sameFolder.stderr, `in use by process ${first.child.pid}`);
  // Another folder of the same run: DuckDB's lock on the first merge's .partial.
  assert.is(otherFolder.code, 1, otherFolder.stderr);
  assert.match(otherFolder.stderr, `${into}.partial is being written by process ${first.child.pid}`);
  assert.match(otherFolder.stderr, '[GBF_RUN_DB_BUSY]');
  assert.is((await first.done).code, 0);
  await assertWholeRun(into);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
