/**
 * `gbfleet run` with a worker made to hang (GBFLEET_FAULT_HANG): the watchdog fails the run after
 * --task-timeout, exit 1 with GBF_WORKER_HUNG naming the shard and the step, and the run database
 * is published marked failed with the steps before it — never a run that waits forever.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-watchdog-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(
  scenario,
  `name: watchdog test
days: 1
fleet:
  meters: 1200
  shardMeters: 400
  paymentMode: { prepayment: 0.5, credit: 0.5 }
`,
);

test('a hung worker fails the run after --task-timeout, naming shard and step; the database says failed', async () => {
  const out = join(dir, 'runs');
  const child = spawnGbfleet(
    ['run', scenario, '--workers', '2', '--out', out, '--task-timeout', '3'],
    ['ignore', 'pipe', 'pipe'],
    { ...process.env, GBFLEET_FAULT_HANG: '2@5' },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  assert.equal(code, 1, stderr);
  assert.match(
    stderr,
    /shard 2 at step 5 has run for [\d.]+ s, over its limit of 3\.0 s \(the configured --task-timeout\)/,
  );
  assert.match(stderr, /\[GBF_WORKER_HUNG\]/);
  const files = readdirSync(out).filter((f) => f.endsWith('.duckdb'));
  assert.equal(files.length, 1, 'published, marked failed');
  const row = await queryRunDatabase(join(out, files[0] as string), 'select status, steps_run, error from runs');
  assert.equal(row.rows[0]?.[0], 'failed');
  assert.equal(row.rows[0]?.[1], 5, 'steps 0–4 are kept');
  assert.match(String(row.rows[0]?.[2]), /shard 2 at step 5/);
});

test('--task-timeout must be a whole number of seconds', async () => {
  const child = spawnGbfleet(['run', scenario, '--out', join(dir, 'bad'), '--task-timeout', 'soon']);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /--task-timeout/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
