/**
 * Checkpoints survive SIGKILL: a seeded run is killed at 10 random points (mid-step, mid-checkpoint,
 * mid-write: wherever the kill lands), resumed with `gbfleet run --resume` each time, and ends with
 * the same outcome digest as a run never stopped. A segment killed and run again (a scheduler's
 * retry) resumes by itself and merges into the same run. What cannot be resumed says so: `runs`
 * shows it, `--resume` refuses it with exit 2, `runs --clean` removes it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase, readCheckpointIdentity, runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonLines, spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-resume-'));
const RUN = ['scenarios/solr-disorderly-exit.yaml', '--meters', '3000', '--days', '8', '--workers', '1'];
const STEPS = 192;
const EVERY = ['--checkpoint-every', '2'];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gbfleet(args: readonly string[], kill?: (child: ReturnType<typeof spawnGbfleet>) => void): Promise<Finished> {
  const child = spawnGbfleet(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += String(c);
  });
  child.stderr?.on('data', (c) => {
    stderr += String(c);
  });
  kill?.(child);
  const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A small seeded generator: the kill points are random but the same each time the test runs. */
function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const partialIn = (out: string) =>
  existsSync(out) ? readdirSync(out).find((f) => f.endsWith('.duckdb.partial')) : undefined;
const checkpointStep = (partial: string) => readCheckpointIdentity(`${partial}.checkpoint`)?.step ?? -1;

/**
 * Kills the child with SIGKILL `delayMs` after its checkpoint reaches `atStep`: in a step, between
 * steps, in the rows' flush or in a checkpoint's write, wherever that moment falls.
 */
function killAfterCheckpoint(out: string, atStep: number, delayMs: number) {
  return (child: ReturnType<typeof spawnGbfleet>) => {
    const poll = setInterval(() => {
      const partial = partialIn(out);
      if (partial && checkpointStep(join(out, partial)) >= atStep) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    }, 20);
    child.on('close', () => clearInterval(poll));
  };
}

test('killed at 10 random points and resumed each time, the run ends as one never stopped', async () => {
  const reference = await gbfleet(['run', ...RUN, '--out', join(dir, 'ref'), '--checkpoint-every', '0', '--json']);
  assert.equal(reference.code, 0, reference.stderr);
  const referenceDb = JSON.parse(reference.stdout).database as string;

  const out = join(dir, 'killed');
  const random = lcg(18);
  // The next kill: after one to four more checkpoints, then up to 150 ms more.
  const nextKill = (from: number) => killAfterCheckpoint(out, from + 2 + 2 * Math.floor(random() * 4), random() * 150);
  let resumedFrom = 0;
  let last = await gbfleet(['run', ...RUN, ...EVERY, '--out', out], nextKill(0));
  const kills: number[] = [];
  for (let kill = 1; kill <= 10; kill++) {
    assert.equal(last.code, null, `kill ${kill} landed before the run ended: ${last.stderr.slice(-400)}`);
    const partial = join(out, partialIn(out) as string);
    const step = checkpointStep(partial);
    assert.ok(step > resumedFrom, `kill ${kill}: the checkpoint moved on (${step} > ${resumedFrom})`);
    kills.push(step);
    resumedFrom = step;
    // As a kill in the middle of writing the next checkpoint leaves it: the last one is still used.
    if (kill === 5) writeFileSync(`${partial}.checkpoint.tmp`, 'half a checkpoint');
    const resume = ['run', '--resume', partial, '--workers', kill % 2 === 0 ? '2' : '1', ...EVERY];
    last = kill < 10 ? await gbfleet(resume, nextKill(step)) : await gbfleet([...resume, '--json']);
    assert.match(last.stderr, new RegExp(`resuming at step ${step} of ${STEPS}`), `resume ${kill}`);
  }
  assert.equal(last.code, 0, last.stderr);
  const resumedDb = JSON.parse(last.stdout).database as string;
  assert.equal(await runDigest(resumedDb), await runDigest(referenceDb), `resumed after kills at steps ${kills}`);
  const runs = await queryRunDatabase(resumedDb, 'select status, steps_run from runs');
  assert.equal(runs.rows[0], ['completed', STEPS]);
  assert.equal(
    readdirSync(out).filter((f) => f.includes('.partial')),
    [],
    'no partial or checkpoint is left',
  );
});

test('a segment killed and run again resumes by itself, and merges into the same run', async () => {
  const out = join(dir, 'segments');
  const work = join(out, '.work');
  const segment = ['run', ...RUN, ...EVERY, '--shard-meters', '1000', '--out', out, '--segment'];
  const killed = await gbfleet([...segment, '1/2'], (child) => {
    const poll = setInterval(() => {
      const partial = existsSync(work) ? readdirSync(work).find((f) => f.endsWith('.partial')) : undefined;
      if (partial && checkpointStep(join(work, partial)) >= 10) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 20);
  });
  assert.equal(killed.code, null);
  const retry = await gbfleet([...segment, '1/2']);
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stderr, new RegExp(`resuming at step \\d+ of ${STEPS}`));
  const other = await gbfleet([...segment, '0/2']);
  assert.equal(other.code, 0, other.stderr);
  const merged = await gbfleet(['merge', out, '--into', join(dir, 'merged.duckdb')]);
  assert.equal(merged.code, 0, merged.stderr);
  const whole = await gbfleet(['run', ...RUN, '--shard-meters', '1000', '--out', join(dir, 'whole'), '--json']);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(await runDigest(join(dir, 'merged.duckdb')), await runDigest(JSON.parse(whole.stdout).database));
});

test('what cannot be resumed is shown, refused with exit 2, and cleaned away', async () => {
  const out = join(dir, 'unresumable');
  // Killed before its first checkpoint: nothing to go on from.
  const early = await gbfleet(['run', ...RUN, '--checkpoint-every', '0', '--out', out], (child) => {
    const poll = setInterval(() => {
      if (partialIn(out)) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 20);
  });
  assert.equal(early.code, null);
  const partial = join(out, partialIn(out) as string);
  const listed = await gbfleet(['runs', out, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(jsonLines(listed.stdout)[0]?.resumable, 'no: no checkpoint');
  const refused = await gbfleet(['run', '--resume', partial]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /there is no checkpoint: the run cannot be resumed \[GBF_CHECKPOINT\]/);

  // A checkpoint damaged since it was written is refused, and the run is left as it was.
  writeFileSync(`${partial}.checkpoint`, 'GBFCKPT1 but nothing after');
  const damaged = await gbfleet(['run', '--resume', partial]);
  assert.equal(damaged.code, 2, damaged.stderr);
  assert.match(damaged.stderr, /the checkpoint is damaged/);
  assert.ok(existsSync(partial), 'the partial is untouched');

  // Flags that would make it another run are refused before anything is read.
  const changed = await gbfleet(['run', '--resume', partial, '--meters', '10']);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /--resume cannot change --meters/);

  const cleaned = await gbfleet(['runs', out, '--clean']);
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.match(cleaned.stdout, /Removed 1 from/);
  assert.equal(readdirSync(out), [], 'the partial, its WAL and its checkpoint are gone');
});

test('a truncated checkpoint of a real run is caught by its digest', async () => {
  const out = join(dir, 'truncated');
  const killed = await gbfleet(['run', ...RUN, ...EVERY, '--out', out], killAfterCheckpoint(out, 3, 0));
  assert.equal(killed.code, null);
  const partial = join(out, partialIn(out) as string);
  truncateSync(`${partial}.checkpoint`, 5000);
  const refused = await gbfleet(['run', '--resume', partial]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /damaged \(its digest does not match/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
