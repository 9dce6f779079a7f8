/**
 * Report definition files: the header (title, description, chart, table, note) and the SQL after
 * it; every malformed header is refused with the file, the line and what is allowed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseReportHeader, parseSection } from '../src/index.ts';

const GOOD = `-- title: Alerts by code
-- description: First line,
--   and its continuation.
-- note: anything at all: ignored
-- chart: {"mark": "bar",
--   "encoding": {"x": {"field": "code", "type": "nominal"}}}
-- table: 12
-- A plain comment ends the header fields.
SELECT code, count(*) AS alerts FROM alerts GROUP BY ALL;
`;

test('a section: title, continued description, multi-line chart JSON, table rows, SQL', () => {
  const s = parseSection('x/01-by-code.sql', '01-by-code.sql', GOOD);
  assert.is(s.id, 'by-code');
  assert.is(s.title, 'Alerts by code');
  assert.is(s.description, 'First line, and its continuation.');
  assert.equal(s.chart?.spec, { mark: 'bar', encoding: { x: { field: 'code', type: 'nominal' } } });
  assert.is(s.tableRows, 12);
  assert.is(s.sql, 'SELECT code, count(*) AS alerts FROM alerts GROUP BY ALL');
});

test('defaults: no chart, 60 rows shown; "table: none" hides the table, "all" shows every row', () => {
  const plain = parseSection('f', '2-x.sql', '-- title: T\nSELECT 1');
  assert.is(plain.chart, null);
  assert.is(plain.tableRows, 60);
  assert.is(parseSection('f', '2-x.sql', '-- title: T\n-- table: none\nSELECT 1').tableRows, 0);
  assert.ok(parseSection('f', '2-x.sql', '-- title: T\n-- table: all\nSELECT 1').tableRows > 10_000);
});

test('_report.sql: title, description and the setup statements after the header', () => {
  const h = parseReportHeader('r/_report.sql', '-- title: R\n-- description: D\nCREATE TEMP VIEW v AS SELECT 1;\n');
  assert.equal(h, { title: 'R', description: 'D', sql: 'CREATE TEMP VIEW v AS SELECT 1;' });
  assert.throws(
    () => parseReportHeader('r/_report.sql', '-- title: R\n-- chart: {"mark":"bar"}\n'),
    /belongs in a section/,
  );
});

test('hostile headers are refused, naming the file, the line and what is allowed', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['01-a.sql', 'SELECT 1', /needs "-- title: …"/],
    ['01-a.sql', '-- title:   \nSELECT 1', /needs "-- title: …"/],
    ['01-a.sql', `-- title: ${'x'.repeat(201)}\nSELECT 1`, /at most 200/],
    ['01-a.sql', '-- titel: T\nSELECT 1', /line 1: unknown header key "titel".*did you mean "title"/],
    ['01-a.sql', '-- title: T\n-- title: U\nSELECT 1', /line 2: "title" is given twice/],
    ['01-a.sql', '-- title: T\n-- chart: {"mark": bar}\nSELECT 1', /line 2: the chart is not valid JSON/],
    ['01-a.sql', '-- title: T\n-- chart: [1, 2]\nSELECT 1', /must be a JSON object/],
    ['01-a.sql', '-- title: T\n-- chart: {"encoding": {}}\nSELECT 1', /needs a "mark"/],
    [
      '01-a.sql',
      '-- title: T\n-- chart: {"mark": "bar", "data": {"url": "http://x"}}\nSELECT 1',
      /must not give "data"/,
    ],
    ['01-a.sql', '-- title: T\n-- table: -3\nSELECT 1', /table: got "-3", expected none, all or a row count/],
    ['01-a.sql', '-- title: T\n-- table: lots\nSELECT 1', /expected none, all/],
    ['01-a.sql', '-- title: T\n', /has no SQL after its header/],
    ['01-a.sql', '-- title: T\n;\n', /has no SQL/],
    ['01-a.sql', '-- title: T\nSELECT 1\u0000', /NUL bytes/],
    ['a.sql', '-- title: T\nSELECT 1', /named NN-name\.sql/],
    ['01-Bad_Name.sql', '-- title: T\nSELECT 1', /named NN-name\.sql/],
  ];
  for (const [name, text, pattern] of cases) {
    assert.throws(
      () => parseSection(`dir/${name}`, name, text),
      (error: Error & { code?: string }) =>
        error.code === 'GBF_REPORT_DEFINITION' &&
        error.message.startsWith(`dir/${name}: `) &&
        pattern.test(error.message),
      `${JSON.stringify(text.slice(0, 40))} → ${pattern}`,
    );
  }
});

test.run();
