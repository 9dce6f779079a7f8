/**
 * A query result as CSV per RFC 4180: CRLF line ends, a header line, and a field quoted (inner
 * quotes doubled) when it holds a comma, a quote, CR or LF, or starts or ends with a space.
 * NULL is an empty field.
 */
import type { QueryResult } from '../db.js';
import { cellText } from './cell-text.js';

function field(text: string | null): string {
  if (text === null) return '';
  return /[",\r\n]|^ | $/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsv(result: QueryResult): string {
  const { columns, types, rows } = result;
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((_, c) => field(cellText(row[c], types[c] ?? ''))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
