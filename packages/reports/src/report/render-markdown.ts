/**
 * A report as one Markdown page: the runs it read, then per section its title, description, the
 * chart (the PNG beside the page), the table (the first rows; the CSV has them all) and the SQL
 * file it came from. Cells are escaped so a party name with a `|` cannot break a table.
 */
import type { BuiltReport, BuiltSection } from './built-report.js';
import { displayCell, isNumericColumn, runsTable } from './display-cell.js';

function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function table(header: readonly string[], rows: readonly string[][], numeric: readonly boolean[]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, c) => (numeric[c] ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

function section(s: BuiltSection, csv: boolean): string {
  const { definition, result, chart } = s;
  const out = [`## ${definition.title}\n`];
  if (definition.description) out.push(`${definition.description}\n`);
  if (result.rows.length === 0) out.push('_No rows: nothing of this kind happened in the run(s)._\n');
  if (chart && s.pngPath) out.push(`![${cell(definition.title)}](${encodeURI(s.pngPath)})\n`);
  const shown = result.rows.slice(0, definition.tableRows);
  if (shown.length > 0) {
    const numeric = result.columns.map((_, c) => isNumericColumn(result.rows, c));
    const rows = shown.map((row) => result.columns.map((name, c) => displayCell(row[c], result.types[c] ?? '', name)));
    out.push(table(result.columns, rows, numeric));
  }
  if (result.rows.length > shown.length) {
    const where = csv
      ? `: all of them are in [${s.csvPath}](${encodeURI(s.csvPath)})`
      : ' (--format csv writes them all)';
    out.push(
      shown.length === 0
        ? `_${result.rows.length} rows, not shown here${where}._\n`
        : `_The first ${shown.length} of ${result.rows.length} rows${where}._\n`,
    );
  }
  out.push(`<sub>SQL: \`${definition.file}\`</sub>\n`);
  return out.join('\n');
}

export function renderMarkdown(report: BuiltReport, options: { csv?: boolean } = {}): string {
  const { definition, runs } = report;
  const out = [`# ${definition.title}\n`];
  if (definition.description) out.push(`${definition.description}\n`);
  const summary = runsTable(runs);
  out.push(table(summary.header, summary.rows, summary.numeric));
  for (const r of runs) {
    if (r.status !== 'completed') {
      out.push(`> **${r.label} is ${r.status}**: it holds what the run wrote before it stopped.\n`);
    }
  }
  for (const s of report.sections) out.push(section(s, options.csv ?? true));
  return `${out.join('\n').trimEnd()}\n`;
}
