/**
 * Builds reports from run databases: reads the definitions, reads the runs together (RunSet), runs
 * the shared setup, each report's setup and each section's SELECT, renders the charts, and returns
 * every output file as bytes in memory. Nothing is written here: the caller writes the files once
 * everything has succeeded, so a bad definition or a bad run file leaves no half-written report.
 *
 *   <report>.md, <report>.html     one page per report (HTML: self-contained, inline SVG charts)
 *   <report>/<section>.csv         every row of every section
 *   <report>/<section>.png         each chart as an image for slides (with md or html)
 */
import type { QueryResult } from '../db.js';
import { ReportDefinitionError } from '../errors.js';
import { jsonValue } from '../render/cell-text.js';
import { formatCsv } from '../render/format-csv.js';
import type { BuiltReport, BuiltSection, ReportFile } from './built-report.js';
import { type RenderedChart, renderChart } from './chart-render.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { loadReportCatalog, type ReportDefinition } from './report-catalog.js';
import { RunSet } from './run-set.js';

export const REPORT_FORMATS = ['md', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface BuildReportsOptions {
  /** Formats to produce (default: all three). */
  formats?: readonly ReportFormat[];
  /** Folder of report definitions (default: the shipped ones). */
  sqlDir?: string;
  /** Report names to build (default: all in the folder). */
  reports?: readonly string[];
}

/** Rows as JSON-ready objects (bigint → number, DATE → 'YYYY-MM-DD', TIMESTAMP → ISO), for charts. */
export function rowObjects(result: QueryResult): Array<Record<string, unknown>> {
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((name, c) => [name, jsonValue(row[c], result.types[c] ?? '')])),
  );
}

export async function buildReports(
  runPaths: readonly string[],
  options: BuildReportsOptions = {},
): Promise<{ reports: BuiltReport[]; files: ReportFile[] }> {
  const formats = new Set(options.formats ?? REPORT_FORMATS);
  const catalog = loadReportCatalog(options.sqlDir);
  const chosen = chooseReports(catalog.reports, options.reports);
  const runs = await RunSet.open(runPaths);
  const built: BuiltReport[] = [];
  try {
    if (catalog.setupSql !== '') await setup(runs, `${catalog.dir}/_setup.sql`, catalog.setupSql);
    for (const definition of chosen) {
      if (definition.sql !== '') await setup(runs, `${definition.name}/_report.sql`, definition.sql);
      const sections: BuiltSection[] = [];
      for (const section of definition.sections) {
        let result: QueryResult;
        try {
          result = await runs.query(section.sql);
        } catch (error) {
          throw new ReportDefinitionError(section.file, `its SQL failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        const wantChart =
          section.chart !== null && result.rows.length > 0 && (formats.has('md') || formats.has('html'));
        let chart: RenderedChart | null = null;
        if (wantChart && section.chart) {
          try {
            chart = await renderChart(section.chart, rowObjects(result), {
              title: section.title,
              multiRun: runs.runs.length > 1,
            });
          } catch (error) {
            throw new ReportDefinitionError(section.file, `its chart cannot be drawn: ${(error as Error).message}`, {
              cause: error,
            });
          }
        }
        sections.push({
          definition: section,
          result,
          chart,
          csvPath: `${definition.name}/${section.id}.csv`,
          pngPath: chart ? `${definition.name}/${section.id}.png` : null,
        });
      }
      built.push({ definition, runs: runs.runs, sections });
    }
  } finally {
    runs.close();
  }
  return { reports: built, files: filesOf(built, formats) };
}

function chooseReports(all: ReportDefinition[], names: readonly string[] | undefined): ReportDefinition[] {
  if (names === undefined || names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((r) => r.name === name);
    if (!found) {
      throw new ReportDefinitionError(
        name,
        `no such report: expected one of ${all.map((r) => JSON.stringify(r.name)).join(', ')}`,
      );
    }
    return found;
  });
}

async function setup(runs: RunSet, file: string, sql: string): Promise<void> {
  try {
    await runs.exec(sql);
  } catch (error) {
    throw new ReportDefinitionError(file, `its setup statements failed: ${(error as Error).message}`, { cause: error });
  }
}

function filesOf(reports: readonly BuiltReport[], formats: ReadonlySet<ReportFormat>): ReportFile[] {
  const files: ReportFile[] = [];
  for (const report of reports) {
    if (formats.has('md'))
      files.push({
        path: `${report.definition.name}.md`,
        content: renderMarkdown(report, { csv: formats.has('csv') }),
      });
    if (formats.has('html'))
      files.push({ path: `${report.definition.name}.html`, content: renderHtml(report, { csv: formats.has('csv') }) });
    for (const section of report.sections) {
      if (formats.has('csv')) files.push({ path: section.csvPath, content: formatCsv(section.result) });
      if (section.chart && section.pngPath) files.push({ path: section.pngPath, content: section.chart.png });
    }
  }
  return files;
}
