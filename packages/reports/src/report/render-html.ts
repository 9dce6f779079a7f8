/**
 * A report as one self-contained HTML page: inline CSS, each chart as inline SVG (static: no
 * script, no fetch), tables with the first rows of each section, the SQL behind each section in a
 * fold-out, and links to the CSV and PNG files beside the page. Every text is escaped.
 */
import type { BuiltReport, BuiltSection } from './built-report.js';
import { displayCell, isNumericColumn, runsTable } from './display-cell.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; color: #1b1b1b;
  margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 4rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin-top: 2.4rem; border-top: 1px solid #ddd; padding-top: 1.2rem; }
p.description { color: #333; max-width: 52rem; }
nav ol { columns: 2; padding-left: 1.2rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f4f5f7; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption, p.more, p.none, .sql summary { font-size: 0.8rem; color: #555; }
.warning { background: #fff4e5; border-left: 4px solid #f0a020; padding: 0.5rem 0.8rem; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; font-size: 0.78rem; }
`;

function tableHtml(header: readonly string[], rows: readonly string[][], numeric: readonly boolean[]): string {
  const th = header.map((h, c) => `<th${numeric[c] ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) => `<tr>${row.map((v, c) => `<td${numeric[c] ? ' class="n"' : ''}>${escapeHtml(v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function sectionHtml(s: BuiltSection, csv: boolean): string {
  const { definition, result, chart } = s;
  const out = [`<section id="${escapeHtml(definition.id)}">`, `<h2>${escapeHtml(definition.title)}</h2>`];
  if (definition.description) out.push(`<p class="description">${escapeHtml(definition.description)}</p>`);
  if (result.rows.length === 0) out.push('<p class="none">No rows: nothing of this kind happened in the run(s).</p>');
  if (chart) {
    const png = s.pngPath ? `<a href="${escapeHtml(encodeURI(s.pngPath))}">PNG for slides</a>` : '';
    out.push(
      `<figure class="chart" data-section="${escapeHtml(definition.id)}">\n${chart.svg}\n<figcaption>${png}</figcaption>\n</figure>`,
    );
  }
  const shown = result.rows.slice(0, definition.tableRows);
  if (shown.length > 0) {
    const numeric = result.columns.map((_, c) => isNumericColumn(result.rows, c));
    const rows = shown.map((row) => result.columns.map((name, c) => displayCell(row[c], result.types[c] ?? '', name)));
    out.push(tableHtml(result.columns, rows, numeric));
  }
  if (result.rows.length > shown.length) {
    const link = csv
      ? `<a href="${escapeHtml(encodeURI(s.csvPath))}">${escapeHtml(s.csvPath)}</a>`
      : 'the CSV (--format csv)';
    out.push(
      `<p class="more">${shown.length === 0 ? `${result.rows.length} rows, not shown here` : `The first ${shown.length} of ${result.rows.length} rows`}; all of them are in ${link}.</p>`,
    );
  }
  out.push(
    `<details class="sql"><summary>SQL: ${escapeHtml(definition.file)}</summary><pre>${escapeHtml(definition.sql)}</pre></details>`,
    '</section>',
  );
  return out.join('\n');
}

export function renderHtml(report: BuiltReport, options: { csv?: boolean } = {}): string {
  const { definition, runs } = report;
  const summary = runsTable(runs);
  const runsTableHtml = tableHtml(summary.header, summary.rows, summary.numeric);
  const warnings = runs
    .filter((r) => r.status !== 'completed')
    .map(
      (r) =>
        `<p class="warning"><strong>${escapeHtml(r.label)} is ${escapeHtml(r.status)}</strong>: it holds what the run wrote before it stopped.</p>`,
    );
  const nav = report.sections
    .map((s) => `<li><a href="#${escapeHtml(s.definition.id)}">${escapeHtml(s.definition.title)}</a></li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(definition.title)} — gbfleet report</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(definition.title)}</h1>
${definition.description ? `<p class="description">${escapeHtml(definition.description)}</p>` : ''}
${runsTableHtml}
${warnings.join('\n')}
<nav><ol>
${nav}
</ol></nav>
</header>
<main>
${report.sections.map((s) => sectionHtml(s, options.csv ?? true)).join('\n')}
</main>
</body>
</html>
`;
}
