/**
 * The run list: every run database in a folder (and one level down) with its status and key
 * outcomes, partial and unreadable files listed as such, and no file changed by listing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listRuns, runListingResult } from '../src/index.ts';
import { engineRun } from './helpers/engine-run.ts';
import { withTempDir } from './helpers/run-db.ts';

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('lists runs with status and outcomes; partial and unreadable files too; changes nothing', async () => {
  await withTempDir(async (dir) => {
    mkdirSync(join(dir, 'sweep'));
    const run = await engineRun(join(dir, 'sweep'), 'small.duckdb');
    writeFileSync(join(dir, 'junk.duckdb'), 'this is not a database');
    writeFileSync(join(dir, 'live.duckdb.partial'), '');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const before = digest(run);
    const mtime = statSync(run).mtimeMs;
    const listings = await listRuns(dir);
    assert.equal(
      listings.map((l) => [l.file, l.status]),
      [
        ['junk.duckdb', 'unreadable'],
        ['live.duckdb.partial', 'dead'],
        [join('sweep', 'small.duckdb'), 'completed'],
      ],
    );
    const done = listings[2];
    assert.is(done?.scenario, 'report test');
    assert.is(done?.days, 5);
    assert.is(done?.meters, 60);
    assert.ok((done?.commands ?? 0) > 0 && (done?.alerts ?? 0) > 0);
    // Cobalt Supply: Jan and Feb unpaid at £30,000 a month, £10,000 of cover drawn.
    assert.is(done?.socialisedPence, 5_000_000);
    assert.match(listings[0]?.error ?? '', /not a readable gbfleet run database/);
    assert.is(digest(run), before, 'listing does not change the file');
    assert.is(statSync(run).mtimeMs, mtime);
    const table = runListingResult(listings);
    assert.is(table.columns.length, table.types.length);
    assert.is(table.rows[2]?.[table.columns.indexOf('socialised_gbp')], 50_000);
  });
});

test('a missing folder or a file instead of a folder is refused', async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, 'a.duckdb'), 'x');
    for (const [path, pattern] of [
      [join(dir, 'nope'), /nope: no such folder/],
      [join(dir, 'a.duckdb'), /a\.duckdb: is a file, expected a folder/],
    ] as const) {
      let failure: (Error & { code?: string }) | undefined;
      try {
        await listRuns(path);
      } catch (error) {
        failure = error as Error & { code?: string };
      }
      assert.is(failure?.code, 'GBF_REPORT_INPUT');
      assert.match(failure?.message ?? '', pattern);
    }
    assert.equal(
      (await listRuns(dir)).map((l) => l.status),
      ['unreadable'],
    );
  });
});

test.run();
