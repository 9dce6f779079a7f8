/** Reports: SQL definitions, runs read together, charts, and the Markdown / HTML / CSV renderers. */
export {
  type BuildReportsOptions,
  buildReports,
  REPORT_FORMATS,
  type ReportFormat,
  rowObjects,
} from './build-reports.js';
export type { BuiltReport, BuiltSection, ReportFile } from './built-report.js';
export { type RenderedChart, renderChart } from './chart-render.js';
export { renderHtml } from './render-html.js';
export { renderMarkdown } from './render-markdown.js';
export {
  DEFAULT_REPORT_SQL_DIR,
  loadReportCatalog,
  type ReportCatalog,
  type ReportDefinition,
} from './report-catalog.js';
export { parseReportHeader, parseSection, type SectionDefinition } from './report-definition.js';
export { type RunInfo, RunSet } from './run-set.js';
