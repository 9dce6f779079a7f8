/**
 * How `gbfleet run` ends when it does not complete: a failed run, an interrupted one (Ctrl-C in
 * process, SIGTERM from outside as Slurm, Kubernetes and systemd send it) each keep the rows of
 * the steps done and record how many steps that was; a third interrupt gives up at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type ScenarioPlugin, stepsOf } from '@gbfleet/core';
import { queryRunDatabase } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { runToDatabase, stopLadder } from '../src/commands/run.ts';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { spawnGbfleet } from './helpers/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-run-stops-'));
const scenarioText = `name: stops test
seed: "5"
days: 3
fleet:
  meters: 3000
  paymentMode: { prepayment: 0.6, credit: 0.4 }
  prepayment: { initialCreditPounds: { min: 0, max: 4 }, emergencyCreditPounds: 2 }
`;
const scenario = join(dir, 'stops.yaml');
writeFileSync(scenario, scenarioText);

/** What a run database holds: status, steps and row counts. */
async function contents(database: string) {
  const result = await queryRunDatabase(
    database,
    `SELECT CAST(status AS VARCHAR), steps, steps_run, error,
       (SELECT count(*) FROM commands), (SELECT count(*) FROM alerts), (SELECT count(*) FROM charges),
       (SELECT max(t) FROM alerts) < start + to_minutes(CAST(steps_run * step_minutes AS BIGINT))
     FROM runs`,
  );
  const [status, steps, stepsRun, error, commands, alerts, charges, alertsInsideSteps] = result.rows[0] as unknown[];
  return {
    status,
    steps: Number(steps),
    stepsRun: stepsRun === null ? null : Number(stepsRun),
    error,
    commands: Number(commands),
    alerts: Number(alerts),
    charges: Number(charges),
    alertsInsideSteps,
  };
}

test('a failed run keeps the rows of the steps before the failure and says how many ran', async () => {
  const spec = parseScenario(parseYaml(scenarioText));
  const failing: ScenarioPlugin = {
    name: 'breaks',
    beforeStep(run) {
      if (run.step === 40) throw new Error('broken at step 40');
    },
  };
  const io = memoryIo();
  const stop = stopLadder(io);
  const database = join(dir, 'failed.duckdb');
  try {
    await runToDatabase(spec, [failing], 'failed-run', database, '0'.repeat(64), 1, io, stop);
    assert.unreachable('the run should fail');
  } catch (error) {
    assert.match((error as Error).message, /broken at step 40/);
  } finally {
    stop.stopListening();
  }
  assert.match(io.stderr.join(''), /marked failed after 40 of 72 steps/);
  const db = await contents(database);
  assert.is(db.status, 'failed');
  assert.is(db.steps, stepsOf(spec));
  assert.is(db.stepsRun, 40);
  assert.match(String(db.error), /broken at step 40/);
  assert.ok(db.commands > 0 && db.alerts > 0 && db.charges > 0, JSON.stringify(db));
  assert.ok(db.alertsInsideSteps, 'no row comes from a step after the last one done');
});

test('Ctrl-C keeps the steps done; a second stops at once; a third gives up', async () => {
  const io = memoryIo();
  const err = io.err;
  let interrupts = 0;
  io.err = (text: string) => {
    err(text);
    if (interrupts === 0 && text.startsWith('run: step')) {
      interrupts++;
      io.interrupt();
    }
  };
  const code = await runCli(['run', scenario, '--out', join(dir, 'ctrl-c'), '--json'], io);
  assert.is(code, 1);
  const summary = JSON.parse(io.stdout.join(''));
  const db = await contents(summary.database);
  assert.is(db.status, 'interrupted');
  assert.is(db.stepsRun, summary.stepsRun);
  assert.ok(db.stepsRun !== null && db.stepsRun < db.steps);
  assert.match(String(db.error), new RegExp(`after ${summary.stepsRun} of 72 steps`));
  assert.is(db.commands, summary.commands.total);
  assert.is(db.alerts, summary.alerts.total);
  assert.ok(db.alerts > 0);

  const listed = await runCli(['runs', join(dir, 'ctrl-c'), '--json'], memoryIo());
  assert.is(listed, 0);

  const ladder = memoryIo();
  const stop = stopLadder(ladder);
  ladder.interrupt();
  assert.ok(stop.endOfStep.aborted && !stop.now.aborted && !ladder.exited);
  ladder.interrupt();
  assert.ok(stop.now.aborted && !ladder.exited);
  ladder.interrupt();
  assert.ok(ladder.exited, 'a third interrupt ends the process');
  stop.stopListening();
});

test('SIGTERM is a first Ctrl-C: the run stops at the end of the step, is marked interrupted, exits 1', async () => {
  const out = join(dir, 'sigterm');
  const child = spawnGbfleet(['run', scenario, '--days', '30', '--out', out, '--json']);
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
    if (!signalled && /run: step/.test(stderr)) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
    child.on('close', (c, s) => done([c, s])),
  );
  assert.ok(signalled, `the run printed no progress: ${stderr}`);
  assert.is(signal, null, `killed by ${signal}: ${stderr}`);
  assert.is(code, 1, stderr);
  assert.match(stderr, /interrupted: stopping at the end of this step/);
  const summary = JSON.parse(stdout);
  assert.is(summary.status, 'interrupted');
  const db = await contents(summary.database);
  assert.is(db.status, 'interrupted');
  assert.is(db.stepsRun, summary.stepsRun);
  assert.ok(db.stepsRun !== null && db.stepsRun > 0 && db.stepsRun < db.steps);
  assert.is(db.commands, summary.commands.total);
  assert.is(db.alerts, summary.alerts.total);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
