/**
 * A query result as JSON Lines: one object per row, keys in column order. A repeated column name
 * gets `_1`, `_2`, … (as DuckDB does) so no value is lost. Values follow `jsonValue`.
 */
import type { QueryResult } from '../db.js';
import { jsonValue } from './cell-text.js';

function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((name) => {
    let unique = name;
    for (let k = 1; seen.has(unique); k++) unique = `${name}_${k}`;
    seen.add(unique);
    return unique;
  });
}

export function formatJsonLines(result: QueryResult): string {
  const { types, rows } = result;
  const names = uniqueNames(result.columns);
  let out = '';
  for (const row of rows) {
    const object: Record<string, unknown> = {};
    names.forEach((name, c) => {
      object[name] = jsonValue(row[c], types[c] ?? '');
    });
    out += `${JSON.stringify(object)}\n`;
  }
  return out;
}
