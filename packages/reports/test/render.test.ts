import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatCsv, formatJsonLines, formatTable, type QueryResult } from '../src/index.ts';

const RESULT: QueryResult = {
  columns: ['name', 'pence', 'big', 't', 'day', 'kwh', 'ok'],
  types: ['VARCHAR', 'INTEGER', 'UBIGINT', 'TIMESTAMP', 'DATE', 'FLOAT', 'BOOLEAN'],
  rows: [
    ['plain', 1, 12n, new Date('2024-01-01T02:30:00Z'), new Date('2024-02-01T00:00:00Z'), Math.fround(0.1), true],
    ['comma, "quoted"\nline', -250, 18446744073709551615n, new Date('2024-01-01T02:30:00.250Z'), null, null, false],
    [' padded ', null, null, null, null, 8.5, null],
  ],
};

test('CSV quotes per RFC 4180 and ends lines with CRLF', () => {
  assert.is(
    formatCsv(RESULT),
    [
      'name,pence,big,t,day,kwh,ok',
      'plain,1,12,2024-01-01 02:30:00,2024-02-01,0.1,true',
      '"comma, ""quoted""\nline",-250,18446744073709551615,2024-01-01 02:30:00.250,,,false',
      '" padded ",,,,,8.5,',
      '',
    ].join('\r\n'),
  );
});

test('CSV quotes a header that needs it and keeps an empty result to its header', () => {
  assert.is(formatCsv({ columns: ['a,b', 'c'], types: ['INTEGER', 'INTEGER'], rows: [] }), '"a,b",c\r\n');
});

test('JSON Lines: safe bigints as numbers, others as strings, ISO timestamps, DATE as a day', () => {
  const lines = formatJsonLines(RESULT)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines[0], {
    name: 'plain',
    pence: 1,
    big: 12,
    t: '2024-01-01T02:30:00.000Z',
    day: '2024-02-01',
    kwh: 0.1,
    ok: true,
  });
  assert.is(lines[1].big, '18446744073709551615');
  assert.is(lines[1].name, 'comma, "quoted"\nline');
  assert.equal(lines[2], { name: ' padded ', pence: null, big: null, t: null, day: null, kwh: 8.5, ok: null });
});

test('JSON Lines keeps repeated column names apart', () => {
  const out = formatJsonLines({
    columns: ['a', 'a', 'a_1'],
    types: ['INTEGER', 'INTEGER', 'INTEGER'],
    rows: [[1, 2, 3]],
  });
  assert.equal(JSON.parse(out), { a: 1, a_1: 2, a_1_1: 3 });
});

test('table: aligned, numbers right-aligned, NULL shown, control characters escaped, row count', () => {
  const text = formatTable(RESULT);
  const lines = text.trimEnd().split('\n');
  assert.is(lines.length, 2 + 3 + 1);
  assert.is(
    lines[0],
    'name                   pence                   big  t                        day          kwh  ok',
  );
  assert.match(lines[1] as string, /^-{21} {2}-{5} {2}-{20} {2}-{23} {2}-{10} {2}-{4} {2}-{5}$/);
  assert.is(
    lines[2],
    'plain                      1                    12  2024-01-01 02:30:00      2024-02-01   0.1  true',
  );
  assert.is(
    lines[3],
    'comma, "quoted"\\nline   -250  18446744073709551615  2024-01-01 02:30:00.250  NULL        NULL  false',
  );
  assert.is(
    lines[4],
    ' padded                 NULL                  NULL  NULL                     NULL         8.5  NULL',
  );
  assert.is(lines[5], '(3 rows)');
});

test('table of no rows', () => {
  assert.is(formatTable({ columns: ['x'], types: ['INTEGER'], rows: [] }), 'x\n-\n(0 rows)\n');
});

test.run();
