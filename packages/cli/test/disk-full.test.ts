/**
 * A full disk and a read-only place, for real, on a small tmpfs (helpers/tmpfs.ts; skipped with
 * a printed reason where mounting is not allowed): `run`, `run --segment`, `merge`, `export`
 * and `report` each fail with a message that names the path and the cause, exit non-zero (2 for
 * a read-only place: nothing ran), and leave nothing under a final name that looks complete. A
 * run's last checkpoint outlives the full disk: once space is freed, `--resume` ends the run as
 * one that never stopped.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpointIdentity, runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { spawnGbfleet } from './helpers/cli-process.ts';
import { leaveFree, remountReadOnly, resizeTmpfs, withTmpfs } from './helpers/tmpfs.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-disk-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(
  scenario,
  `name: small
seed: "3"
days: 2
fleet:
  meters: 1500
  shardMeters: 750
  paymentMode: { prepayment: 0.5, credit: 0.5 }
`,
);
/** Six days with a checkpoint every 6 hours: long enough to fill a small disk between checkpoints. */
const checkpointed = join(dir, 'checkpointed.yaml');
writeFileSync(
  checkpointed,
  `name: checkpointed
seed: "3"
days: 6
fleet:
  meters: 1500
  shardMeters: 750
  paymentMode: { prepayment: 0.5, credit: 0.5 }
`,
);
/** The digest of `checkpointed` run straight through on the ordinary disk. */
let checkpointedDigest = '';
/** A finished run database and a folder of two finished segments, on the ordinary disk. */
let runDb = '';
const segments = join(dir, 'segments');

function gbfleet(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnGbfleet(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += c;
  });
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

function assertDiskFull(result: { code: number | null; stderr: string }, path: string): void {
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, 'the disk is full: ');
  assert.match(result.stderr, path, 'the message names the path');
  assert.match(result.stderr, '[GBF_DISK_FULL]');
}

test.before(async () => {
  const io = memoryIo();
  assert.is(await runCli(['run', scenario, '--workers', '1', '--out', join(dir, 'runs'), '--json'], io), 0);
  runDb = JSON.parse(io.stdout.join('')).database as string;
  for (const k of [0, 1]) {
    const seg = memoryIo();
    const code = await runCli(['run', scenario, '--workers', '1', '--segment', `${k}/2`, '--out', segments], seg);
    assert.is(code, 0, seg.stderr.join(''));
  }
  const straight = memoryIo();
  const args = ['run', checkpointed, '--workers', '1', '--out', join(dir, 'straight'), '--checkpoint-every', '0'];
  assert.is(await runCli([...args, '--json'], straight), 0, straight.stderr.join(''));
  checkpointedDigest = await runDigest(JSON.parse(straight.stdout.join('')).database as string);
});

/**
 * Runs `checkpointed` onto `out` until the disk fills, checks that the last checkpoint was kept
 * whole (no `.tmp` beside it) and that the message says how to resume; then frees the space and
 * resumes in place, which must end the run as if it never stopped.
 */
async function fillThenResume(out: string, freeSpace: () => void): Promise<number> {
  const failed = await gbfleet(['run', checkpointed, '--workers', '1', '--out', out, '--checkpoint-every', '6']);
  assertDiskFull(failed, out);
  const partial = filesUnder(out).find((f) => f.endsWith('.duckdb.partial'));
  assert.ok(partial, filesUnder(out).join(', '));
  const partialPath = join(out, partial);
  assert.not.ok(existsSync(`${partialPath}.checkpoint.tmp`), 'a torn checkpoint is not left behind');
  const step = readCheckpointIdentity(`${partialPath}.checkpoint`)?.step ?? 0;
  assert.ok(step > 0 && step % 6 === 0, `a checkpoint was kept (step ${step})`);
  const hint = `the checkpoint after step ${step} is kept: once the cause is fixed, gbfleet run --resume ${partialPath}`;
  assert.ok(failed.stderr.includes(hint), failed.stderr);
  freeSpace();
  const resumed = await gbfleet(['run', '--resume', partialPath, '--workers', '1', '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  const database = JSON.parse(resumed.stdout).database as string;
  assert.is(await runDigest(database), checkpointedDigest, 'the resumed run equals one never stopped');
  return step;
}

test('run: a disk that fills mid-run is named, and no .duckdb appears under the final name', async () => {
  await withTmpfs('1m', async (mnt) => {
    const out = join(mnt, 'runs');
    const result = await gbfleet(['run', scenario, '--workers', '1', '--out', out]);
    assertDiskFull(result, out);
    const left = filesUnder(out);
    assert.ok(
      left.every((f) => f.endsWith('.duckdb.partial') || f.endsWith('.duckdb.partial.wal')),
      left.join(', '),
    );
  });
});

test('run: a disk that fills while a checkpoint is written keeps the one before, and the run resumes', async () => {
  await withTmpfs('4m', async (mnt) => {
    leaveFree(mnt, 400 * 1024);
    const step = await fillThenResume(join(mnt, 'runs'), () => rmSync(join(mnt, '.filler')));
    assert.ok(step < 144, `filled before the end (checkpoint at step ${step})`);
  });
});

test('run: a disk that fills as the run is finished keeps the last checkpoint, and the run resumes', async () => {
  await withTmpfs('1m', async (mnt) => {
    const out = join(mnt, 'runs');
    // The resume needs room for the whole database: grow the tmpfs, as a user would free space.
    await fillThenResume(out, () => resizeTmpfs(mnt, '8m'));
  });
});

test('run --segment: a full disk leaves no manifest, so merge sees the segment as missing', async () => {
  await withTmpfs('1m', async (mnt) => {
    const out = join(mnt, 'segments');
    const result = await gbfleet(['run', scenario, '--workers', '1', '--segment', '0/2', '--out', out]);
    assertDiskFull(result, out);
    assert.equal(
      filesUnder(out).filter((f) => f.startsWith('manifests')),
      [],
      'no manifest for a segment that did not fit',
    );
  });
});

test('merge: a full disk under --into leaves no .duckdb under the final name', async () => {
  await withTmpfs('1m', async (mnt) => {
    const into = join(mnt, 'merged.duckdb');
    const result = await gbfleet(['merge', segments, '--into', into]);
    assertDiskFull(result, into);
    assert.not.ok(existsSync(into));
  });
});

test('export --parquet: a full disk leaves no partition, whole or half', async () => {
  await withTmpfs('2m', async (mnt) => {
    leaveFree(mnt, 48 * 1024);
    const out = join(mnt, 'parquet');
    const result = await gbfleet(['export', runDb, '--parquet', out]);
    assertDiskFull(result, out);
    assert.equal(filesUnder(out), [], 'nothing left in the export folder');
  });
});

test('report --out: a full disk leaves no report file, whole or half', async () => {
  await withTmpfs('2m', async (mnt) => {
    leaveFree(mnt, 16 * 1024);
    const out = join(mnt, 'reports');
    const result = await gbfleet(['report', runDb, '--out', out]);
    assertDiskFull(result, out);
    assert.equal(filesUnder(out), [], 'nothing left in the report folder');
  });
});

test('a read-only place: run, merge, export and report exit 2 naming the path', async () => {
  await withTmpfs(
    '1m',
    async (mnt) => {
      const cases: Array<[string[], string]> = [
        [['run', scenario, '--workers', '1', '--out', join(mnt, 'runs')], join(mnt, 'runs')],
        [['merge', segments, '--into', join(mnt, 'merged.duckdb')], join(mnt, 'merged.duckdb')],
        [['export', runDb, '--parquet', join(mnt, 'parquet')], join(mnt, 'parquet')],
        [['report', runDb, '--out', join(mnt, 'reports')], join(mnt, 'reports')],
      ];
      const results = await Promise.all(cases.map(([args]) => gbfleet(args)));
      results.forEach((result, i) => {
        const [args, path] = cases[i] as [string[], string];
        assert.is(result.code, 2, `${args[0]}: ${result.stderr}`);
        assert.match(result.stderr, path, `${args[0]} names the path`);
        assert.match(result.stderr, /read-only/i, `${args[0]} says it is read-only`);
      });
      assert.equal(filesUnder(mnt), []);
    },
    { readOnly: true },
  );
});

test('merge: a read-only folder of segments still merges into a writable --into', async () => {
  await withTmpfs('1m', async (mnt) => {
    const readOnly = join(mnt, 'segments');
    cpSync(segments, readOnly, { recursive: true });
    remountReadOnly(mnt);
    const into = join(dir, 'from-read-only.duckdb');
    const result = await gbfleet(['merge', readOnly, '--into', into]);
    assert.is(result.code, 0, result.stderr);
    assert.ok(existsSync(into));
  });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
