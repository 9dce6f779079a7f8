/**
 * Charts: a Vega-Lite fragment and rows become a static SVG with data marks and a PNG; several
 * runs get a row each unless the chart already tells runs apart; a spec Vega-Lite cannot compile
 * is an error, not an empty picture.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChart } from '../src/index.ts';

const ROWS = [
  { run_label: 'a', code: 'LOW_CREDIT', alerts: 5 },
  { run_label: 'a', code: 'SUPPLY_DISABLED', alerts: 2 },
  { run_label: 'b', code: 'LOW_CREDIT', alerts: 7 },
];
const BAR = {
  spec: {
    mark: 'bar',
    encoding: {
      x: { field: 'code', type: 'nominal' },
      y: { field: 'alerts', type: 'quantitative', aggregate: 'sum' },
    },
  },
};

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('a bar chart: SVG with one rect per bar, the title, and a PNG', async () => {
  const chart = await renderChart(BAR, ROWS, { title: 'Alerts <by> code', multiRun: false });
  assert.match(chart.svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const marks = /<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/s.exec(chart.svg)?.[1] ?? '';
  assert.is((marks.match(/<path/g) ?? []).length, 2, 'two codes, two bars');
  assert.match(chart.svg, /Alerts &lt;by&gt; code/);
  assert.equal([...chart.png.subarray(0, 8)], PNG_MAGIC);
  assert.ok(chart.png.length > 2000);
});

test('several runs: one row of the chart per run, unless the chart names run_label', async () => {
  const faceted = await renderChart(BAR, ROWS, { title: 'T', multiRun: true });
  assert.is((faceted.svg.match(/role-mark/g) ?? []).length >= 2, true);
  assert.match(faceted.svg, />a</);
  assert.match(faceted.svg, />b</);
  const coloured = {
    spec: { ...BAR.spec, encoding: { ...BAR.spec.encoding, color: { field: 'run_label', type: 'nominal' } } },
  };
  const one = await renderChart(coloured, ROWS, { title: 'T', multiRun: true });
  assert.is((one.svg.match(/class="mark-rect role-mark/g) ?? []).length, 1, 'a single panel');
});

test('a spec Vega-Lite cannot compile is an error', async () => {
  let failed: unknown;
  try {
    await renderChart({ spec: { mark: 'no-such-mark', encoding: {} } }, ROWS, { title: 'T', multiRun: false });
  } catch (error) {
    failed = error;
  }
  assert.instance(failed, Error);
  assert.match(String(failed), /no-such-mark/);
});

test.run();
