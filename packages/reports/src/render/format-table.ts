/**
 * A query result as an aligned plain-text table for a terminal: a header, a rule, one line per
 * row, then the row count. Numbers are right-aligned; NULL shows as `NULL`; control characters
 * are escaped so one cell never breaks the alignment.
 */
import type { QueryResult } from '../db.js';
import { cellText } from './cell-text.js';

function visible(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function formatTable(result: QueryResult): string {
  const { columns, types, rows } = result;
  const cells = rows.map((row) => columns.map((_, c) => visible(cellText(row[c], types[c] ?? '') ?? 'NULL')));
  const numeric = columns.map((_, c) => rows.some((row) => typeof row[c] === 'number' || typeof row[c] === 'bigint'));
  const widths = columns.map((name, c) =>
    Math.max(visible(name).length, ...cells.map((line) => (line[c] as string).length)),
  );
  const pad = (text: string, c: number) =>
    numeric[c] ? text.padStart(widths[c] as number) : text.padEnd(widths[c] as number);
  const lines = [
    columns
      .map((name, c) => pad(visible(name), c))
      .join('  ')
      .trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((line) => line.map(pad).join('  ').trimEnd()),
    `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
  ];
  return `${lines.join('\n')}\n`;
}
