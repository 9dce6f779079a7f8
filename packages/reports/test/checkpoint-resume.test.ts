/**
 * The reports side of checkpoints: a checkpoint file round-trips exactly and is written
 * atomically; `RunDatabase.resume` reopens a dead run's `.partial`, drops the rows of the steps
 * from the checkpoint on (and the charges), and refuses a file that is not that dead run.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocateFleet, CHECKPOINT_FORMAT, fleetBytesOf, type RunCheckpoint } from '@gbfleet/core';
import { OUTCOME_CODE } from '@gbfleet/gbcs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Db } from '../src/db.ts';
import {
  type CheckpointIdentity,
  queryRunDatabase,
  RunDatabase,
  readCheckpointFile,
  readCheckpointIdentity,
  writeCheckpointFile,
} from '../src/index.ts';
import { alerts, commands, meters, PARTIES, sampleMeta, supplyEvents, utrns, withTempDir } from './helpers/run-db.ts';

function sampleCheckpoint(meters = 30, owned = { lo: 10, hi: 30 }): RunCheckpoint {
  const fleet = allocateFleet(meters);
  for (let m = 0; m < meters; m++) fleet.columns.creditCp[m] = m * 100 - 500;
  fleet.columns.supplierCellCounter[12] = 2n ** 63n + 5n;
  return {
    format: CHECKPOINT_FORMAT,
    step: 6,
    steps: 48,
    owned,
    fleet: fleetBytesOf(fleet, owned),
    parties: [{ failedAtStep: 3, revokedAtStep: null, vending: false }],
    engine: {
      dcc: { held: new Map([[9, [{ meter: 12, counter: 99n }]]]) },
      timeline: { multiplier: 1.5, untilStep: 20 },
      tally: { commands: 4 },
      figures: { x: 2 },
      peakFigures: ['x'],
      topUpRequests: [{ length: 1, meter: new Uint32Array([11]), pounds: new Uint16Array([5]) }],
      outbox: [],
    },
    plugins: [{ name: 'p', state: { queue: new Int32Array([3, 1]), open: new Set([4]) } }],
  };
}

const IDENTITY: CheckpointIdentity = {
  runId: 'run-1',
  scenarioHash: 'a'.repeat(64),
  codeVersion: '0.1.0',
  spec: { name: 'x', stepMinutes: 30 } as never,
  segment: null,
  step: 6,
  steps: 48,
  takenAt: '2026-01-01T00:00:00.000Z',
};

test('a checkpoint file gives back exactly what was written, columns and state', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb.partial.checkpoint');
    const written = sampleCheckpoint();
    writeCheckpointFile(path, IDENTITY, written);
    assert.not.ok(existsSync(`${path}.tmp`), 'the temporary file is renamed into place');
    const { identity, checkpoint } = readCheckpointFile(path);
    assert.equal(identity, IDENTITY);
    assert.equal(readCheckpointIdentity(path), IDENTITY);
    for (const [name, bytes] of Object.entries(written.fleet)) {
      assert.equal(Buffer.from(checkpoint.fleet[name as keyof RunCheckpoint['fleet']]), Buffer.from(bytes), name);
    }
    const { fleet: _a, ...state } = checkpoint;
    const { fleet: _b, ...wanted } = written;
    assert.equal(state, wanted);
  });
});

test('a second checkpoint replaces the first whole; a half-written one is never read', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb.partial.checkpoint');
    writeCheckpointFile(path, IDENTITY, sampleCheckpoint());
    // What a kill during the next write leaves: a torn temporary file beside the last checkpoint.
    writeFileSync(`${path}.tmp`, 'torn');
    assert.equal(readCheckpointFile(path).checkpoint.step, 6);
    writeCheckpointFile(path, { ...IDENTITY, step: 8 }, { ...sampleCheckpoint(), step: 8 });
    assert.equal(readCheckpointFile(path).checkpoint.step, 8);
    assert.not.ok(existsSync(`${path}.tmp`));
  });
});

test('a checkpoint whose identity and state disagree, or with a flipped byte, is refused', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'c.checkpoint');
    writeCheckpointFile(path, { ...IDENTITY, step: 7 }, sampleCheckpoint());
    assert.throws(() => readCheckpointFile(path), /identity and state disagree on the step/);
    writeCheckpointFile(path, IDENTITY, sampleCheckpoint());
    const bytes = readFileSync(path);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 1;
    writeFileSync(path, bytes);
    assert.throws(() => readCheckpointFile(path), /digest does not match/);
    assert.throws(() => readCheckpointFile(join(dir, 'none')), /there is no checkpoint/);
    assert.is(readCheckpointIdentity(join(dir, 'none')), null);
  });
});

/** A run's `.partial` as a killed run leaves it: rows of steps 0–9 written, never finished. */
async function deadPartial(dir: string): Promise<string> {
  const path = join(dir, 'run.duckdb');
  const meta = sampleMeta({ stepMinutes: 30 });
  const db = await RunDatabase.create(path, meta);
  await db.appendParties(PARTIES);
  await db.appendMeters(meters(3), 10);
  const steps = [0, 2, 5, 6, 7, 9];
  await db.appendAlerts(alerts(steps.map((s) => [s, 10, 0, 1, 1, 0])));
  await db.appendCommands(commands(steps.map((s) => [s, 1, 11, 1, 0x0041, 0, OUTCOME_CODE.ACCEPTED])));
  await db.appendSupplyEvents(supplyEvents(steps.map((s) => [s, 11, 0, 0])));
  await db.appendUtrn(utrns(steps.map((s) => [s, 12, 2, '73943333457189043313', 1000, 0])));
  await db.appendCharges([
    {
      party: 1,
      month: '2024-01-01',
      chargesPence: 1,
      paidPence: 0,
      coverLodgedPence: 0,
      coverDrawnPence: 0,
      socialisedPence: 1,
    },
  ]);
  // Finished, then made to look killed: status back to running and the file back to .partial.
  await db.finish('interrupted');
  const raw = await Db.open(path);
  await raw.run(`UPDATE runs SET status = 'running', finished_at = NULL`);
  raw.close();
  renameSync(path, `${path}.partial`);
  return path;
}

test('resume drops the rows of the steps from the checkpoint on, and the charges, keeping the rest', async () => {
  await withTempDir(async (dir) => {
    const path = await deadPartial(dir);
    const meta = sampleMeta({ stepMinutes: 30 });
    const db = await RunDatabase.resume(path, { runId: meta.runId, steps: meta.steps }, 6);
    await db.appendCommands(commands([[6, 1, 11, 1, 0x0041, 0, OUTCOME_CODE.ACCEPTED]]));
    const final = await db.finish('completed');
    for (const table of ['alerts', 'commands', 'supply_events', 'utrn']) {
      const left = await queryRunDatabase(final, `SELECT count(*) FROM ${table}`);
      assert.equal(Number(left.rows[0]?.[0]), table === 'commands' ? 4 : 3, table);
    }
    const kept = await queryRunDatabase(
      final,
      'SELECT (SELECT count(*) FROM parties), (SELECT count(*) FROM meters), (SELECT count(*) FROM charges)',
    );
    assert.equal(kept.rows[0]?.map(Number), [PARTIES.length, 3, 0]);
  });
});

test('resume refuses another run, a finished run and a file that is not there', async () => {
  await withTempDir(async (dir) => {
    const path = await deadPartial(dir);
    const meta = sampleMeta({ stepMinutes: 30 });
    await RunDatabase.resume(path, { runId: 'another', steps: meta.steps }, 6).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /not the checkpoint's run another/),
    );
    await RunDatabase.resume(path, { runId: meta.runId, steps: 99 }, 6).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /of 99 steps/),
    );
    await RunDatabase.resume(join(dir, 'none.duckdb'), { runId: meta.runId, steps: meta.steps }, 6).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /nothing to resume/),
    );
    const db = await RunDatabase.resume(path, { runId: meta.runId, steps: meta.steps }, 6);
    await RunDatabase.resume(path, { runId: meta.runId, steps: meta.steps }, 6).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /this process/),
    );
    const final = await db.finish('completed');
    await RunDatabase.resume(final, { runId: meta.runId, steps: meta.steps }, 6).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /exists|already/),
    );
  });
});

test.run();
