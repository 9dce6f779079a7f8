/**
 * The `parties` table says when each party failed and when its certificate was revoked, as
 * docs/schema.md promises, for the revocations the plug-ins make (SoLR, GNO, hostile) and not
 * only the core's. Each shipped scenario runs scaled down; its revocation must be in the table, at
 * the moment the DCC starts refusing the party's commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRunDatabase } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-parties-'));

async function runScenario(file: string, args: string[]): Promise<string> {
  const io = memoryIo();
  const code = await runCli(['run', file, ...args, '--workers', '1', '--out', dir, '--json'], io);
  assert.is(code, 0, io.stderr.join(''));
  return JSON.parse(io.stdout.join('')).database as string;
}

/** The party's `failed_at` and `revoked_at`, as ISO text or null. */
async function momentsOf(database: string, name: string): Promise<{ failed: string | null; revoked: string | null }> {
  const result = await queryRunDatabase(
    database,
    `SELECT CAST(failed_at AS VARCHAR), CAST(revoked_at AS VARCHAR) FROM parties WHERE name = '${name}'`,
  );
  assert.is(result.rows.length, 1, `one row for ${name}`);
  const [failed, revoked] = result.rows[0] as [string | null, string | null];
  return { failed, revoked };
}

test('GNO: the departing network operator is revoked at its exit (day 1 + 336 h)', async () => {
  const db = await runScenario('scenarios/gno-acb-handover.yaml', ['--meters', '2000', '--days', '16']);
  assert.equal(await momentsOf(db, 'National Grid Gas'), { failed: null, revoked: '2026-01-20 00:00:00' });
  assert.equal(await momentsOf(db, 'Cadent Gas'), { failed: null, revoked: null });
});

test('hostile: the former supplier is revoked when the scenario says (day 3)', async () => {
  const db = await runScenario('scenarios/hostile-party.yaml', ['--meters', '2000']);
  assert.equal(await momentsOf(db, 'Defunct Energy'), { failed: null, revoked: '2026-01-08 00:00:00' });
  assert.equal(await momentsOf(db, 'Mallory (no DCC access)'), { failed: null, revoked: null });
});

test('SoLR: the failed supplier fails on day 1 at 09:00 and is revoked later, when the DCC starts refusing it', async () => {
  const db = await runScenario('scenarios/solr-disorderly-exit.yaml', ['--meters', '3000']);
  const { failed, revoked } = await momentsOf(db, 'Failing Energy');
  assert.is(failed, '2026-01-06 09:00:00');
  assert.ok(revoked !== null && revoked > (failed ?? ''), `revoked ${revoked} after the failure`);
  const refused = await queryRunDatabase(
    db,
    `SELECT CAST(min(c.t) AS VARCHAR) FROM commands c JOIN parties p ON p.party = c.sender
     WHERE p.name = 'Failing Energy' AND c.reason = 'DCC_CERTIFICATE_REVOKED'`,
  );
  assert.is((refused.rows[0] as [string | null])[0], revoked, 'the first refusal is at the revocation');
});

test('a moment after the run ends never came: a shortened run leaves it NULL', async () => {
  const db = await runScenario('scenarios/gno-acb-handover.yaml', ['--meters', '2000', '--days', '3']);
  assert.equal(await momentsOf(db, 'National Grid Gas'), { failed: null, revoked: null });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
