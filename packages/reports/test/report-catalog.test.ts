/**
 * The report catalogue: the shipped definitions load (three reports, sections in file order), and
 * a folder an analyst broke is refused with the file named.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REPORT_SQL_DIR, loadReportCatalog } from '../src/index.ts';
import { withTempDir } from './helpers/run-db.ts';

test('the shipped catalogue: alerts, attacks, credit-cover and socialised-cost, with a shared setup', () => {
  const catalog = loadReportCatalog();
  assert.is(catalog.dir, DEFAULT_REPORT_SQL_DIR.replace(/\/$/, ''));
  assert.equal(
    catalog.reports.map((r) => r.name),
    ['alerts', 'attacks', 'credit-cover', 'socialised-cost'],
  );
  assert.match(catalog.setupSql, /CREATE OR REPLACE TEMP VIEW socialised_by_policy/);
  const alerts = catalog.reports[0];
  assert.equal(
    alerts?.sections.slice(0, 2).map((s) => s.id),
    ['totals', 'by-code-day'],
  );
  for (const report of catalog.reports) {
    assert.ok(report.title.length > 0 && report.description.length > 0, report.name);
    assert.ok(
      report.sections.some((s) => s.chart !== null),
      `${report.name} has charts`,
    );
  }
});

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

test('a broken catalogue is refused, naming the folder or file', async () => {
  await withTempDir(async (dir) => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /holds no report/],
      [
        { 'a/_report.sql': '-- title: A\n' },
        /a[/\\]?: has _report\.sql but no section files|has _report\.sql but no section/,
      ],
      [
        {
          'a/_report.sql': '-- title: A\n',
          'a/1-x.sql': '-- title: X\nSELECT 1',
          'a/2-x.sql': '-- title: Y\nSELECT 2',
        },
        /2-x\.sql: repeats the section name "x" of 1-x\.sql/,
      ],
      [
        { 'a/_report.sql': '-- title: A\n', 'a/x.sql': '-- title: X\nSELECT 1' },
        /x\.sql: a section file is named NN-name\.sql/,
      ],
      [
        { 'A_B/_report.sql': '-- title: A\n', 'A_B/1-x.sql': '-- title: X\nSELECT 1' },
        /lower-case kebab-case, like credit-cover/,
      ],
      [
        { 'a/_report.sql': '-- description: no title\n', 'a/1-x.sql': '-- title: X\nSELECT 1' },
        /_report\.sql: the header needs "-- title: …"/,
      ],
    ];
    for (const [i, [files, pattern]] of cases.entries()) {
      const root = join(dir, `case${i}`);
      mkdirSync(root);
      writeTree(root, files);
      assert.throws(
        () => loadReportCatalog(root),
        (error: Error & { code?: string }) => error.code === 'GBF_REPORT_DEFINITION' && pattern.test(error.message),
        `case ${i}: ${pattern}`,
      );
    }
    assert.throws(() => loadReportCatalog(join(dir, 'missing')), /is not a folder of report definitions/);
    writeFileSync(join(dir, 'file.sql'), 'SELECT 1');
    assert.throws(() => loadReportCatalog(join(dir, 'file.sql')), /is not a folder of report definitions/);
  });
});

test('sub-folders without _report.sql (notes, output) are not reports', async () => {
  await withTempDir(async (dir) => {
    writeTree(dir, {
      'notes/readme.txt': 'x',
      'r/_report.sql': '-- title: R\n',
      'r/01-one.sql': '-- title: One\nSELECT 1 AS one',
    });
    const catalog = loadReportCatalog(dir);
    assert.equal(
      catalog.reports.map((r) => [r.name, r.sections.map((s) => s.id)]),
      [['r', ['one']]],
    );
    assert.is(catalog.setupSql, '');
  });
});

test.run();
