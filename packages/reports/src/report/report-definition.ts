/**
 * A report definition is a folder of SQL files an analyst can read and change: `_report.sql`
 * names the report, and each `NN-name.sql` is one section (one SELECT, rendered as a table and,
 * when its header asks, a chart). A file's header is its leading `--` comment lines:
 *
 *   -- title: Alerts by code and day           (required)
 *   -- description: What the section shows.    (optional; continues on lines "--   more text")
 *   -- chart: {"mark": "bar", "encoding": …}   (optional Vega-Lite, JSON; may continue likewise)
 *   -- table: none | N                         (optional: hide the table, or show at most N rows)
 *   -- note: anything                          (ignored: for the reader of the SQL)
 *
 * Unknown keys are errors (with the nearest known one), so a typo never silently drops a chart.
 */
import { ReportDefinitionError } from '../errors.js';

export interface ChartFragment {
  /** A Vega-Lite unit or layered spec without data; the renderer adds the rows. */
  spec: Record<string, unknown>;
}

export interface SectionDefinition {
  /** File name without `.sql` and its leading number: `01-by-code-day.sql` → `by-code-day`. */
  id: string;
  file: string;
  title: string;
  description: string;
  chart: ChartFragment | null;
  /** Rows shown in Markdown and HTML (CSV has them all); 0 hides the table. */
  tableRows: number;
  sql: string;
}

export interface ReportHeader {
  title: string;
  description: string;
  /** Statements after the header (temporary tables and views the sections use). */
  sql: string;
}

export const DEFAULT_TABLE_ROWS = 60;
const MAX_TABLE_ROWS = 100_000;
const KEYS = ['title', 'description', 'chart', 'table', 'note'] as const;
type Key = (typeof KEYS)[number];
const KEY_LINE = /^--\s?([A-Za-z][\w-]*):(.*)$/;
const CONTINUATION = /^--\s{2,}(\S.*)$/;
/** Section files: a number to order them, then a kebab-case name. */
export const SECTION_FILE = /^(\d{1,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.sql$/;

interface Header {
  fields: Partial<Record<Key, { value: string; line: number }>>;
  body: string;
}

/** Splits a file into its header fields and the SQL after them. */
function readHeader(file: string, text: string): Header {
  if (text.includes('\u0000')) throw new ReportDefinitionError(file, 'is not text (it holds NUL bytes)');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fields: Header['fields'] = {};
  let current: Key | null = null;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trimEnd();
    if (!line.startsWith('--')) break;
    const key = KEY_LINE.exec(line);
    if (key) {
      const name = (key[1] as string).toLowerCase();
      if (!(KEYS as readonly string[]).includes(name)) {
        const near = KEYS.find((k) => editDistance(k, name) <= 2);
        throw new ReportDefinitionError(
          file,
          `line ${i + 1}: unknown header key "${key[1]}", expected one of ${KEYS.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`,
        );
      }
      if (fields[name as Key]) {
        throw new ReportDefinitionError(
          file,
          `line ${i + 1}: "${name}" is given twice (first on line ${fields[name as Key]?.line})`,
        );
      }
      current = name as Key;
      fields[current] = { value: (key[2] as string).trim(), line: i + 1 };
      continue;
    }
    const more = CONTINUATION.exec(line);
    if (more && current) {
      const field = fields[current] as { value: string; line: number };
      field.value = `${field.value}${current === 'chart' ? '\n' : ' '}${more[1]}`.trim();
      continue;
    }
    current = null; // a plain comment ends the field it follows
  }
  return { fields, body: lines.slice(i).join('\n').trim() };
}

function required(file: string, header: Header, key: 'title'): string {
  const value = header.fields[key]?.value ?? '';
  if (value === '') throw new ReportDefinitionError(file, `the header needs "-- ${key}: …" (a non-empty ${key})`);
  if (value.length > 200)
    throw new ReportDefinitionError(file, `the ${key} has ${value.length} characters, at most 200 allowed`);
  return value;
}

function chartOf(file: string, header: Header): ChartFragment | null {
  const field = header.fields.chart;
  if (!field) return null;
  let spec: unknown;
  try {
    spec = JSON.parse(field.value);
  } catch (error) {
    throw new ReportDefinitionError(
      file,
      `line ${field.line}: the chart is not valid JSON (${(error as Error).message}); expected a Vega-Lite spec such as {"mark": "bar", "encoding": {…}}`,
    );
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ReportDefinitionError(file, `line ${field.line}: the chart must be a JSON object (a Vega-Lite spec)`);
  }
  const s = spec as Record<string, unknown>;
  if (!('mark' in s) && !('layer' in s) && !('spec' in s)) {
    throw new ReportDefinitionError(file, `line ${field.line}: the chart needs a "mark" (or a "layer")`);
  }
  if ('data' in s) {
    throw new ReportDefinitionError(
      file,
      `line ${field.line}: the chart must not give "data": the section's rows are its data`,
    );
  }
  return { spec: s };
}

function tableRowsOf(file: string, header: Header): number {
  const field = header.fields.table;
  if (!field) return DEFAULT_TABLE_ROWS;
  if (field.value === 'none') return 0;
  if (field.value === 'all') return MAX_TABLE_ROWS;
  const n = Number(field.value);
  if (!/^\d+$/.test(field.value) || n < 1 || n > MAX_TABLE_ROWS) {
    throw new ReportDefinitionError(
      file,
      `line ${field.line}: table: got "${field.value}", expected none, all or a row count from 1 to ${MAX_TABLE_ROWS}`,
    );
  }
  return n;
}

/** Parses one section file (`NN-name.sql`). */
export function parseSection(file: string, name: string, text: string): SectionDefinition {
  const m = SECTION_FILE.exec(name);
  if (!m) {
    throw new ReportDefinitionError(file, 'a section file is named NN-name.sql (a number, then lower-case kebab-case)');
  }
  const header = readHeader(file, text);
  const sql = header.body.replace(/;\s*$/, '');
  if (sql === '') throw new ReportDefinitionError(file, 'has no SQL after its header: a section is one SELECT');
  return {
    id: m[2] as string,
    file,
    title: required(file, header, 'title'),
    description: header.fields.description?.value ?? '',
    chart: chartOf(file, header),
    tableRows: tableRowsOf(file, header),
    sql,
  };
}

/** Parses a report's `_report.sql`: its title, description and setup statements. */
export function parseReportHeader(file: string, text: string): ReportHeader {
  const header = readHeader(file, text);
  for (const key of ['chart', 'table'] as const) {
    if (header.fields[key]) {
      throw new ReportDefinitionError(
        file,
        `line ${header.fields[key]?.line}: "${key}" belongs in a section file, not in _report.sql`,
      );
    }
  }
  return {
    title: required(file, header, 'title'),
    description: header.fields.description?.value ?? '',
    sql: header.body,
  };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
