/**
 * deploy/slurm on a real Slurm cluster: one node on localhost (helpers/local-slurm.ts). A job
 * array of four tasks runs the four segments of a shipped scenario, the merge job runs once they
 * all succeeded (afterok), and the merged run database equals the single run's, digest for
 * digest. Installs Debian's slurm-wlm and munge when missing (helpers/slurm-install.ts); skips,
 * printing why, only where it cannot be root.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gbfleetFromSource } from './helpers/cli-process.ts';
import { type LocalSlurm, startLocalSlurm } from './helpers/local-slurm.ts';
import { type ProcessResult, runProcess } from './helpers/run-process.ts';
import { slurmUnavailable } from './helpers/slurm-install.ts';

const root = join(import.meta.dirname, '../../..');
const SEGMENTS_SCRIPT = join(root, 'deploy/slurm/gbfleet-segments.sbatch');
const MERGE_SCRIPT = join(root, 'deploy/slurm/gbfleet-merge.sbatch');
// 40 meters in shards of 10: four shards, so four segments of one shard each.
const SCENARIO = join(root, 'scenarios/credit-cover-dp095.yaml');
const SHARD_FLAGS = ['--shard-meters', '10'];
const TASKS = 4;
// The machine is shared and slow at times: generous, but every phase ends.
const MINUTE = 60_000;

test(`a job array of ${TASKS} segments and its afterok merge job equal the single run`, async () => {
  const unavailable = await slurmUnavailable();
  if (unavailable) {
    console.log(`slurm-cluster.test.ts skipped: ${unavailable}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-slurm-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const out = join(dir, 'segments');
  let cluster: LocalSlurm | undefined;
  try {
    // Phase times go to the log: on a shared machine they say where a slow run spent its time.
    const phases: string[] = [];
    let mark = performance.now();
    const phaseDone = (name: string) => {
      const now = performance.now();
      phases.push(`${name} ${((now - mark) / 1000).toFixed(1)} s`);
      mark = now;
    };
    cluster = await startLocalSlurm();
    phaseDone('cluster up');
    const local = cluster;
    // The scripts split GBFLEET on spaces, as their header says.
    assert.ok(!gbfleetFromSource.some((word) => /\s/.test(word)), 'the repository path holds no spaces');
    const jobEnv = { SCENARIO, OUT: out, GBFLEET: gbfleetFromSource.join(' ') };
    const jobLogs = () =>
      readdirSync(logs)
        .map((name) => `--- ${name}:\n${readFileSync(join(logs, name), 'utf8').split('\n').slice(-30).join('\n')}`)
        .join('\n');
    const failed = async (what: string) => new Error(`${what}\n${jobLogs()}\n${await local.diagnostics()}`);
    const expect = async (what: string, result: ProcessResult) => {
      if (result.code === 0) return result;
      throw await failed(
        `${what} ${result.timedOut ? 'timed out' : `exited ${result.code ?? result.signal}`}: ${result.stderr}`,
      );
    };
    const submit = async (args: string[]) => {
      const submitted = await expect(
        `sbatch ${args.join(' ')}`,
        await local.run('sbatch', ['--parsable', ...args], MINUTE, jobEnv),
      );
      const id = submitted.stdout.trim().split(';')[0] as string;
      assert.match(id, /^\d+$/, `sbatch --parsable printed ${JSON.stringify(submitted.stdout)}`);
      return id;
    };

    // The README's two lines: the array, and the merge once every task has succeeded (afterok).
    const arrayJob = await submit([
      `--array=0-${TASKS - 1}`,
      `--output=${logs}/segment-%a.out`,
      SEGMENTS_SCRIPT,
      ...SHARD_FLAGS,
    ]);
    const mergeJob = await submit([
      `--dependency=afterok:${arrayJob}`,
      '--kill-on-invalid-dep=yes',
      `--output=${logs}/merge.out`,
      `--error=${logs}/merge.err`,
      MERGE_SCRIPT,
      '--json',
    ]);
    const ends = await local.waitForJobs([arrayJob, mergeJob], 20 * MINUTE);
    if (!ends) throw await failed(`the array job ${arrayJob} and merge job ${mergeJob} still queued after 20 minutes`);
    const expected = [...Array.from({ length: TASKS }, (_, k) => `${arrayJob}_${k}`), mergeJob].map((job) => ({
      job,
      state: 'COMPLETED',
      exitCode: '0:0',
    }));
    if (JSON.stringify(ends) !== JSON.stringify(expected)) {
      throw await failed(`jobs ended ${ends.map((e) => `${e.job} ${e.state} ${e.exitCode}`).join(', ')}`);
    }
    phaseDone(`array of ${TASKS} and merge`);

    const merged = JSON.parse(readFileSync(join(logs, 'merge.out'), 'utf8')) as { path: string; segments: number };
    assert.equal(merged.segments, TASKS);

    const [runDir, ...others] = readdirSync(join(out, 'manifests'));
    assert.equal(others, [], 'all tasks agree on the run id');
    const manifests = Array.from({ length: TASKS }, (_, k) =>
      JSON.parse(readFileSync(join(out, 'manifests', runDir as string, `segment=${k}.json`), 'utf8')),
    );
    assert.equal(
      manifests.map((m) => [m.segment, m.segments, m.status]),
      Array.from({ length: TASKS }, (_, k) => [k, TASKS, 'completed']),
    );

    const [node, ...start] = gbfleetFromSource;
    const single = await expect(
      'the single run',
      await runProcess(
        node as string,
        [...start, 'run', SCENARIO, ...SHARD_FLAGS, '--workers', '1', '--out', join(dir, 'single'), '--json'],
        { timeoutMs: 10 * MINUTE },
      ),
    );
    const singleDb = JSON.parse(single.stdout).database as string;
    phaseDone('single run');
    assert.equal(await runDigest(merged.path), await runDigest(singleDb), 'merged under Slurm = single run');
    console.log(`slurm-cluster.test.ts: ${phases.join(', ')}`);
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
