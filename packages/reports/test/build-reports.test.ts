/**
 * Reports from real run databases made by the engine: every shipped section runs and renders;
 * the policy view agrees with the engine's own socialised figures; several runs read together
 * are told apart; files that are not run databases are refused before anything is built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Db } from '../src/db.ts';
import { buildReports, loadReportCatalog, queryRunDatabase, RunSet } from '../src/index.ts';
import { engineRun, smallScenario } from './helpers/engine-run.ts';
import { withTempDir } from './helpers/run-db.ts';

// One engine run serves every test here (each takes about a second); tests only read it.
const shared = mkdtempSync(join(tmpdir(), 'gbfleet-reports-build-'));
let small: Promise<string> | undefined;
const smallRun = () => {
  small ??= engineRun(shared, 'small.duckdb');
  return small;
};

function csvRows(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trimEnd().split('\r\n');
  const names = (head ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

test('every shipped report builds from an engine run: md, html, csv and a PNG per chart', async () => {
  {
    const run = await smallRun();
    const { reports, files } = await buildReports([run]);
    const catalog = loadReportCatalog();
    assert.equal(
      reports.map((r) => [r.definition.name, r.sections.length]),
      catalog.reports.map((r) => [r.name, r.sections.length]),
    );
    const paths = new Set(files.map((f) => f.path));
    for (const report of reports) {
      assert.ok(paths.has(`${report.definition.name}.md`) && paths.has(`${report.definition.name}.html`));
      for (const s of report.sections) {
        assert.ok(paths.has(s.csvPath), s.csvPath);
        if (s.definition.chart && s.result.rows.length > 0)
          assert.ok(s.chart && paths.has(s.pngPath ?? ''), s.pngPath ?? s.csvPath);
      }
    }
    const byName = (name: string) => reports.find((r) => r.definition.name === name);
    const section = (report: string, id: string) => byName(report)?.sections.find((s) => s.definition.id === id);
    // The failure shows up where the reports look for it.
    assert.ok((section('socialised-cost', 'by-party')?.result.rows.length ?? 0) === 1);
    assert.ok((section('alerts', 'around-failure-by-day')?.result.rows.length ?? 0) > 0);
    assert.ok((section('alerts', 'by-code-day')?.result.rows.length ?? 0) > 0);
    const html = files.find((f) => f.path === 'socialised-cost.html')?.content as string;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<svg[^>]*class="marks"/);
    assert.match(html, /O&#39;Brien Power/, 'names are escaped');
    assert.not.match(html, /<script/i, 'the page needs no script');
    const md = files.find((f) => f.path === 'credit-cover.md')?.content as string;
    assert.match(md, /^# Credit cover\n/);
    assert.match(md, /!\[DCC charges per party and month\]\(credit-cover\/charges-by-month\.png\)/);
  }
});

test("policy 'lodged' reproduces the engine's socialised cost; other policies follow their rules", async () => {
  {
    const run = await smallRun();
    const engine = await queryRunDatabase(
      run,
      "SELECT sum(socialised_pence) AS s, sum(cover_drawn_pence) AS d FROM credit_cover WHERE party_name = 'Cobalt Supply'",
    );
    const [socialised, drawn] = (engine.rows[0] as bigint[]).map(Number);
    // Cobalt: 100,000 points × 30p = £30,000 a month; £10,000 cover; fails in January: Jan and Feb unpaid.
    assert.is(drawn, 1_000_000);
    assert.is(socialised, 2 * 3_000_000 - 1_000_000);
    const { files } = await buildReports([run], { formats: ['csv'], reports: ['socialised-cost'] });
    assert.ok(
      files.every((f) => f.path.endsWith('.csv')),
      'csv only: no pages, no PNG',
    );
    const totals = csvRows(files.find((f) => f.path === 'socialised-cost/policy-totals.csv')?.content as string);
    const gbp = (policy: string) => Number(totals.find((r) => r.policy === policy)?.socialised_gbp);
    assert.is(gbp('lodged'), socialised / 100);
    assert.is(gbp('one month'), 30_000); // two months unpaid, one held
    assert.is(gbp('two months'), 0);
    assert.is(gbp('current rule'), 60_000 - 42_000); // unrated: 1.4 × a month
    const spread = csvRows(files.find((f) => f.path === 'socialised-cost/spread.csv')?.content as string);
    const borne = spread.reduce((sum, r) => sum + Number(r.borne_gbp), 0);
    assert.ok(Math.abs(borne - socialised / 100) < 0.05, `spread ${borne} = socialised ${socialised / 100}`);
    assert.not.ok(
      spread.some((r) => r.party === 'Cobalt Supply'),
      'the failed party bears none of it',
    );
  }
});

test('several runs read together: one label each, comparison rows per run', async () => {
  await withTempDir(async (dir) => {
    const a = await smallRun();
    mkdirSync(join(dir, 'other'));
    const b = await engineRun(join(dir, 'other'), 'small.duckdb', smallScenario({ seed: '8' }));
    const set = await RunSet.open([a, b]);
    try {
      assert.equal(
        set.runs.map((r) => r.label),
        ['small', 'small (2)'],
      );
      const counts = await set.query(
        'SELECT run_label, count(*) AS n FROM alerts JOIN report_runs USING (run_id) GROUP BY ALL ORDER BY 1',
      );
      assert.is(counts.rows.length, 2);
    } finally {
      set.close();
    }
    const { files } = await buildReports([a, b], { formats: ['csv', 'html'] });
    const totals = csvRows(files.find((f) => f.path === 'alerts/totals.csv')?.content as string);
    assert.equal(
      totals.map((r) => r.run_label),
      ['small', 'small (2)'],
    );
    // Read together, each run's figures are what it reports alone (no run's rows leak into another's).
    for (const [path, file] of [
      [a, 'socialised-cost/totals.csv'],
      [a, 'alerts/totals.csv'],
      [b, 'credit-cover/shortfall.csv'],
    ] as const) {
      const alone = csvRows(
        (await buildReports([path], { formats: ['csv'] })).files.find((f) => f.path === file)?.content as string,
      );
      const label = path === a ? 'small' : 'small (2)';
      const together = csvRows(files.find((f) => f.path === file)?.content as string).filter(
        (r) => r.run_label === label,
      );
      assert.equal(
        together.map((r) => ({ ...r, run_label: '' })),
        alone.map((r) => ({ ...r, run_label: '' })),
        file,
      );
    }
  });
});

test('files that are not run databases are refused, named, before anything is built', async () => {
  await withTempDir(async (dir) => {
    const run = await smallRun();
    writeFileSync(join(dir, 'text.duckdb'), 'not a database at all, just some text that is long enough');
    writeFileSync(join(dir, 'empty.duckdb'), '');
    mkdirSync(join(dir, 'folder.duckdb'));
    const other = await Db.open(join(dir, 'other.duckdb'));
    await other.run('CREATE TABLE t (a INTEGER)');
    other.close();
    writeFileSync(join(dir, 'running.duckdb.partial'), '');
    const cases: Array<[string[], string, RegExp]> = [
      [[join(dir, 'missing.duckdb')], 'GBF_RUN_DB_MISSING', /no run database at .*missing\.duckdb/],
      [
        [join(dir, 'running.duckdb')],
        'GBF_RUN_DB_PARTIAL',
        /running\.duckdb\.partial is there, from a run that is not running any more/,
      ],
      [[join(dir, 'text.duckdb')], 'GBF_REPORT_INPUT', /text\.duckdb: is not a DuckDB file/],
      [[join(dir, 'empty.duckdb')], 'GBF_REPORT_INPUT', /empty\.duckdb: is not a DuckDB file/],
      [[join(dir, 'folder.duckdb')], 'GBF_REPORT_INPUT', /is a folder/],
      [
        [join(dir, 'other.duckdb')],
        'GBF_REPORT_INPUT',
        /other\.duckdb: is a DuckDB file but not a gbfleet run database/,
      ],
      [[run, run], 'GBF_REPORT_INPUT', /holds run small\.duckdb-s7, which .* holds too/],
      [[], 'GBF_REPORT_INPUT', /at least one run database/],
    ];
    for (const [paths, code, pattern] of cases) {
      let failure: (Error & { code?: string }) | undefined;
      try {
        await buildReports(paths);
      } catch (error) {
        failure = error as Error & { code?: string };
      }
      assert.is(failure?.code, code, `${paths.join(' ')}: ${failure?.message}`);
      assert.match(failure?.message ?? '', pattern);
    }
  });
});

test('an analyst’s broken SQL or chart is named by file; unknown reports are listed', async () => {
  await withTempDir(async (dir) => {
    const run = await smallRun();
    const sql = join(dir, 'sql');
    mkdirSync(join(sql, 'mine'), { recursive: true });
    writeFileSync(join(sql, 'mine', '_report.sql'), '-- title: Mine\n');
    writeFileSync(join(sql, 'mine', '01-bad.sql'), '-- title: Bad\nSELECT no_such_column FROM alerts');
    await assertFails(() => buildReports([run], { sqlDir: sql }), /01-bad\.sql: its SQL failed: .*no_such_column/);
    writeFileSync(join(sql, 'mine', '01-bad.sql'), '-- title: Bad\n-- chart: {"mark": "bra"}\nSELECT 1 AS x');
    await assertFails(() => buildReports([run], { sqlDir: sql }), /01-bad\.sql: its chart cannot be drawn: mark "bra"/);
    writeFileSync(join(sql, 'mine', '01-bad.sql'), '-- title: Fine\nSELECT 1 AS x');
    writeFileSync(join(sql, '_setup.sql'), 'CREATE TEMP VIEW broken AS SELECT * FROM nowhere;');
    await assertFails(() => buildReports([run], { sqlDir: sql }), /_setup\.sql: its setup statements failed/);
    await assertFails(
      () => buildReports([run], { reports: ['alert'] }),
      /alert: no such report: expected one of "alerts", "attacks", "credit-cover", "socialised-cost"/,
    );
  });
});

async function assertFails(work: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  let failure: (Error & { code?: string }) | undefined;
  try {
    await work();
  } catch (error) {
    failure = error as Error & { code?: string };
  }
  assert.is(failure?.code, 'GBF_REPORT_DEFINITION', failure?.message);
  assert.match(failure?.message ?? '', pattern);
}

test.after(() => rmSync(shared, { recursive: true, force: true }));

test.run();
