/**
 * Two `gbfleet run` processes with the same scenario, seed and --out, started together (a job
 * array, a retry): each gets its own run id and file, and each database holds its own run.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { queryRunDatabase, runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-run-concurrent-'));
const scenario = join(dir, 'twin.yaml');
writeFileSync(
  scenario,
  `name: twin
seed: "3"
days: 2
fleet:
  meters: 1500
  paymentMode: { prepayment: 0.5, credit: 0.5 }
`,
);

function gbfleetRun(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnGbfleet(['run', scenario, '--workers', '1', '--out', out, '--json']);
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

test('two runs of one scenario and seed into one folder at once keep apart', async () => {
  const out = join(dir, 'runs');
  const [a, b] = await Promise.all([gbfleetRun(out), gbfleetRun(out)]);
  assert.is(a.code, 0, a.stderr);
  assert.is(b.code, 0, b.stderr);
  const dbA = JSON.parse(a.stdout).database as string;
  const dbB = JSON.parse(b.stdout).database as string;
  assert.is.not(dbA, dbB);
  assert.equal(readdirSync(out).sort(), [basename(dbA), basename(dbB)].sort(), 'two databases, no leftovers');
  for (const db of [dbA, dbB]) {
    const runs = await queryRunDatabase(db, 'SELECT run_id, CAST(status AS VARCHAR) FROM runs');
    assert.equal(runs.rows, [[basename(db, '.duckdb'), 'completed']], `${db} holds its own run`);
  }
  // Same scenario and seed: the same outcomes, in two files.
  assert.is(await runDigest(dbA), await runDigest(dbB));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
