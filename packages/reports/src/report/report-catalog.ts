/**
 * The report catalogue: a folder with an optional `_setup.sql` (assumptions and derived views
 * every report may use) and one sub-folder per report (`_report.sql` plus its section files, in
 * file-name order). The shipped catalogue is `src/report-sql/` in this package; an analyst may
 * copy it, change the SQL, and point `gbfleet report --sql DIR` at the copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportDefinitionError } from '../errors.js';
import {
  parseReportHeader,
  parseSection,
  type ReportHeader,
  SECTION_FILE,
  type SectionDefinition,
} from './report-definition.js';

export interface ReportDefinition extends ReportHeader {
  /** Folder name: `alerts`, `credit-cover`, … (the output files are named after it). */
  name: string;
  sections: SectionDefinition[];
}

export interface ReportCatalog {
  dir: string;
  /** `_setup.sql`'s statements ('' when there is none). */
  setupSql: string;
  reports: ReportDefinition[];
}

/**
 * The shipped definitions. This module sits in `src/report/` (sources) or `dist/report/` (built):
 * from either, `../../src/report-sql/` is the package's SQL folder, which is not compiled.
 */
export const DEFAULT_REPORT_SQL_DIR = fileURLToPath(new URL('../../src/report-sql/', import.meta.url));

const MAX_FILE_BYTES = 1_000_000;
const REPORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function readText(path: string, shown: string): string {
  const size = statSync(path).size;
  if (size > MAX_FILE_BYTES) {
    throw new ReportDefinitionError(shown, `is ${size} bytes, at most ${MAX_FILE_BYTES} allowed for a SQL file`);
  }
  return readFileSync(path, 'utf8');
}

/** Reads and checks every definition under `dir` (default: the shipped ones). */
export function loadReportCatalog(dir: string = DEFAULT_REPORT_SQL_DIR): ReportCatalog {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ReportDefinitionError(
      root,
      'is not a folder of report definitions (expected sub-folders with _report.sql)',
    );
  }
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const setupPath = join(root, '_setup.sql');
  const setupSql = existsSync(setupPath) ? readText(setupPath, shown(setupPath)).trim() : '';
  const reports: ReportDefinition[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const folder = join(root, entry.name);
    const headerPath = join(folder, '_report.sql');
    if (!existsSync(headerPath)) continue; // not a report (e.g. a folder of notes)
    if (!REPORT_NAME.test(entry.name)) {
      throw new ReportDefinitionError(
        shown(folder),
        'a report folder is named in lower-case kebab-case, like credit-cover',
      );
    }
    const header = parseReportHeader(shown(headerPath), readText(headerPath, shown(headerPath)));
    const sections: SectionDefinition[] = [];
    const ids = new Map<string, string>();
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith('.sql') || name === '_report.sql') continue;
      const path = join(folder, name);
      if (!SECTION_FILE.test(name)) {
        throw new ReportDefinitionError(
          shown(path),
          'a section file is named NN-name.sql (a number, then lower-case kebab-case), e.g. 01-by-code-day.sql',
        );
      }
      const section = parseSection(shown(path), name, readText(path, shown(path)));
      const earlier = ids.get(section.id);
      if (earlier)
        throw new ReportDefinitionError(shown(path), `repeats the section name "${section.id}" of ${earlier}`);
      ids.set(section.id, name);
      sections.push(section);
    }
    if (sections.length === 0) {
      throw new ReportDefinitionError(shown(folder), 'has _report.sql but no section files (NN-name.sql)');
    }
    reports.push({ ...header, name: entry.name, sections });
  }
  if (reports.length === 0) {
    throw new ReportDefinitionError(
      shown(root),
      'holds no report (a sub-folder with _report.sql and NN-name.sql sections)',
    );
  }
  return { dir: root, setupSql, reports };
}
