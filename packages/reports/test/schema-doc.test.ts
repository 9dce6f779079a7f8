/**
 * docs/schema.md is the analyst contract: it must list exactly the tables, views, columns, types
 * and ENUM members that a new run database has, both ways, and its example queries must run.
 * The document's layout is fixed so it can be parsed: `## Tables` / `## Views`, then per relation
 * `### name` and a `| column | type | meaning |` table; `## ENUM types` is a `| type | values |`
 * table with backticked members; example queries are ```sql blocks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRunDatabase, RunDatabase } from '../src/index.ts';
import { alerts, meters, PARTIES, sampleMeta, supplyEvents, withTempDir } from './helpers/run-db.ts';

const DOC = fileURLToPath(new URL('../../../docs/schema.md', import.meta.url));

interface Doc {
  tables: Map<string, Array<[string, string]>>;
  views: Map<string, Array<[string, string]>>;
  enums: Map<string, string[]>;
  queries: string[];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

function parseDoc(text: string): Doc {
  const doc: Doc = { tables: new Map(), views: new Map(), enums: new Map(), queries: [] };
  let section = '';
  let relation: Array<[string, string]> | null = null;
  let sql: string[] | null = null;
  for (const line of text.split('\n')) {
    if (sql) {
      if (line.startsWith('```')) {
        doc.queries.push(sql.join('\n'));
        sql = null;
      } else sql.push(line);
      continue;
    }
    if (line.startsWith('```sql')) {
      sql = [];
      continue;
    }
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      relation = null;
      continue;
    }
    if (line.startsWith('### ')) {
      const name = line.slice(4).trim();
      const target = section === 'Tables' ? doc.tables : section === 'Views' ? doc.views : null;
      assert.ok(target, `### ${name} is outside ## Tables / ## Views`);
      assert.not.ok(target.has(name), `${name} is documented twice`);
      relation = [];
      target.set(name, relation);
      continue;
    }
    if (!line.startsWith('|')) continue;
    const row = cells(line);
    if (row[0] === 'column' || row[0] === 'type' || /^-+$/.test(row[0] ?? '')) continue;
    if (relation) {
      assert.is(row.length, 3, `a column row needs | column | type | meaning |: ${line}`);
      assert.ok(row[2], `column ${row[0]} has no meaning`);
      relation.push([row[0] as string, row[1] as string]);
    } else if (section === 'ENUM types') {
      doc.enums.set(
        row[0] as string,
        [...(row[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
      );
    }
  }
  return doc;
}

async function withSampleRun<T>(work: (path: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const path = join(dir, 'run.duckdb');
    const db = await RunDatabase.create(path, sampleMeta());
    try {
      await db.appendParties(PARTIES);
      await db.appendMeters(meters(3));
      await db.appendAlerts(
        alerts([
          [1, 0, 0, 1, 1, 0],
          [2, 1, 5, 2, 1, 1],
          [3, 1, 5, 2, 1, 1],
        ]),
      );
      await db.appendSupplyEvents(
        supplyEvents([
          [2, 0, 0, 0],
          [5, 1, 0, 0],
          [30, 1, 2, 1],
          [26, 2, 1, 5],
        ]),
      );
      await db.finish('completed');
    } finally {
      await db.abandon();
    }
    return work(path);
  });
}

const doc = parseDoc(readFileSync(DOC, 'utf8'));

test('the document lists exactly the tables and views, with their columns and types in order', async () => {
  await withSampleRun(async (path) => {
    const enumText = (values: string[]) => `ENUM(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`;
    const relations = await queryRunDatabase(
      path,
      `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`,
    );
    const dbTables = relations.rows.filter((r) => r[1] === 'BASE TABLE').map((r) => r[0] as string);
    const dbViews = relations.rows.filter((r) => r[1] === 'VIEW').map((r) => r[0] as string);
    assert.equal([...doc.tables.keys()].sort(), dbTables, 'tables: documented vs in the database');
    assert.equal([...doc.views.keys()].sort(), dbViews, 'views: documented vs in the database');

    const columns = await queryRunDatabase(
      path,
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
    );
    for (const [name, documented] of [...doc.tables, ...doc.views]) {
      const actual = columns.rows.filter((r) => r[0] === name).map((r) => [r[1], r[2]]);
      const expected = documented.map(([column, type]) => {
        const members = doc.enums.get(type);
        return [column, members ? enumText(members) : type];
      });
      assert.equal(expected, actual, `columns of ${name}: documented vs in the database`);
      assert.is(documented[0]?.[0], 'run_id', `${name} must start with run_id`);
    }
  });
});

test('the document lists exactly the ENUM types and their members in order', async () => {
  await withSampleRun(async (path) => {
    const types = await queryRunDatabase(
      path,
      `SELECT type_name FROM duckdb_types() WHERE schema_name = 'main' AND logical_type = 'ENUM' AND NOT internal ORDER BY type_name`,
    );
    const names = types.rows.map((r) => r[0] as string);
    assert.equal([...doc.enums.keys()].sort(), names);
    for (const name of names) {
      const members = await queryRunDatabase(path, `SELECT enum_range(NULL::${name})`);
      assert.equal(doc.enums.get(name), members.rows[0]?.[0], `members of ${name}`);
    }
  });
});

test('the example queries run, and the two required ones give the right answers', async () => {
  await withSampleRun(async (path) => {
    assert.ok(doc.queries.length >= 2);
    for (const sql of doc.queries) await queryRunDatabase(path, sql);
    const [misdirected, offSupply] = await Promise.all(
      doc.queries.slice(0, 2).map((sql) => queryRunDatabase(path, sql)),
    );
    assert.equal(misdirected?.rows, [['SoLR Power', "O'Brien Energy, Ltd", 'METER_READING', 2n, 2n]]);
    assert.equal(
      offSupply?.rows.map((r) => [(r[0] as Date).toISOString().slice(0, 10), r[1], r[2]]),
      [
        ['2024-01-01', 2n, 1n],
        ['2024-01-02', 2n, 1n],
      ],
    );
  });
});

test.run();
