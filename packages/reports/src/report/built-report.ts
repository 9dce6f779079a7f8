/**
 * A report once its SQL has run: what the renderers (Markdown, HTML) read and what the builder
 * writes out. Its own module, so the builder and the renderers both import it, not each other.
 */
import type { QueryResult } from '../db.js';
import type { RenderedChart } from './chart-render.js';
import type { ReportDefinition } from './report-catalog.js';
import type { SectionDefinition } from './report-definition.js';
import type { RunInfo } from './run-set.js';

export interface BuiltSection {
  definition: SectionDefinition;
  result: QueryResult;
  chart: RenderedChart | null;
  /** Output paths relative to the output folder, '/'-separated. */
  csvPath: string;
  pngPath: string | null;
}

export interface BuiltReport {
  definition: ReportDefinition;
  runs: readonly RunInfo[];
  sections: BuiltSection[];
}

export interface ReportFile {
  /** Relative to the output folder, '/'-separated. */
  path: string;
  content: string | Uint8Array;
}
