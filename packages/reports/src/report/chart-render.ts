/**
 * Charts: a section's Vega-Lite fragment plus its rows → a static SVG (Vega's own SVG renderer,
 * headless in Node, no browser and no canvas) and a PNG of it (resvg) for pasting into slides.
 * The SVG needs no script to show, so the HTML page embeds it as is. When several runs are
 * compared and the fragment does not mention `run_label`, each run gets its own row of the chart.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ChartError } from '../errors.js';
import type { ChartFragment } from './report-definition.js';

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

/** Fonts that exist on Debian (DejaVu, Liberation), then the browser's own. */
const FONT = 'Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif';
const PNG_SCALE = 2;
/** Vega-Lite's marks (primitive and composite): a typo here otherwise fails deep inside the compiler. */
const MARKS = new Set([
  'arc',
  'area',
  'bar',
  'image',
  'line',
  'point',
  'rect',
  'rule',
  'text',
  'tick',
  'trail',
  'circle',
  'square',
  'geoshape',
  'boxplot',
  'errorband',
  'errorbar',
]);

function checkMark(spec: Record<string, unknown>): void {
  const mark = spec.mark;
  if (mark === undefined) return;
  const type = typeof mark === 'object' && mark !== null ? (mark as { type?: unknown }).type : mark;
  if (typeof type !== 'string' || !MARKS.has(type)) {
    throw new ChartError(`mark ${JSON.stringify(type)} is not a Vega-Lite mark: use one of ${[...MARKS].join(', ')}`);
  }
}

function withRunFacet(spec: Record<string, unknown>, multiRun: boolean): Record<string, unknown> {
  if (!multiRun || JSON.stringify(spec).includes('"run_label"')) return spec;
  const encoding = spec.encoding as Record<string, unknown> | undefined;
  if (!encoding || 'layer' in spec || 'row' in encoding || 'facet' in encoding) return spec;
  return { ...spec, encoding: { ...encoding, row: { field: 'run_label', type: 'nominal', title: null } } };
}

/** Renders one chart; `title` goes above it. Rows are plain JSON values (see `jsonValue`). */
export async function renderChart(
  fragment: ChartFragment,
  rows: ReadonlyArray<Record<string, unknown>>,
  options: { title: string; multiRun: boolean },
): Promise<RenderedChart> {
  checkMark(fragment.spec);
  const base = withRunFacet(fragment.spec, options.multiRun);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 240,
    ...base,
    title: options.title,
    data: { values: rows.map((r) => ({ ...r })) },
    background: 'white',
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 240 },
      title: { fontSize: 14, anchor: 'start' },
      ...(base.config as Record<string, unknown> | undefined),
    },
  } as TopLevelSpec;
  let compiled: vega.Spec;
  try {
    compiled = compile(spec, { logger: vega.logger(vega.Error) }).spec;
  } catch (error) {
    throw new ChartError(`Vega-Lite cannot compile it: ${(error as Error).message}`, { cause: error });
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: PNG_SCALE },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png) };
  } finally {
    view.finalize();
  }
}
