import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FULL, QUICK } from '../src/configurations.ts';
import { type DaySample, sampleOn, slopeFrom } from '../src/soak/memory-slope.ts';
import { seriesSummary, soakLabel, soakVerdict } from '../src/soak/soak.bench.ts';

const MB = 1e6;
const series = (days: number, rss: (day: number) => number, heap: (day: number) => number = () => 50 * MB) =>
  Array.from({ length: days }, (_, i): DaySample => {
    const day = i + 1;
    return {
      day,
      rssBytes: rss(day),
      heapUsedBytes: heap(day),
      externalBytes: 0,
      arrayBuffersBytes: 0,
      workerHeapUsedBytes: 0,
      duckdbBufferBytes: 0,
    };
  });
const rss = (s: DaySample) => s.rssBytes;

test('a straight line gives its slope; the warm-up before fromDay is ignored', () => {
  const samples = series(30, (d) => (d < 7 ? 100 * MB * d : 1000 * MB + 2 * MB * d));
  assert.ok(Math.abs(slopeFrom(samples, 7, rss) - 2 * MB) < 1e-3);
  assert.ok(slopeFrom(samples, 1, rss) > 2 * MB, 'the warm-up ramp would steepen the line');
});

test('flat and falling series: 0 and a negative slope', () => {
  assert.is(
    slopeFrom(
      series(20, () => 800 * MB),
      7,
      rss,
    ),
    0,
  );
  assert.ok(
    Math.abs(
      slopeFrom(
        series(20, (d) => 900 * MB - MB * d),
        7,
        rss,
      ) + MB,
    ) < 1e-3,
  );
});

test('noise around a flat line: the fit is the least-squares one (checked by hand)', () => {
  // days 7..10, values 10, 12, 11, 13: mean x 8.5, mean y 11.5, sxy 4, sxx 5.
  const samples = [7, 8, 9, 10].map((day, i) => ({ day, v: [10, 12, 11, 13][i] as number }));
  assert.ok(Math.abs(slopeFrom(samples, 7, (s) => s.v) - 0.8) < 1e-12);
});

test('too few samples after the warm-up is a RangeError, never a flat pass', () => {
  assert.throws(
    () =>
      slopeFrom(
        series(7, () => MB),
        7,
        rss,
      ),
    /1 sample\(s\), need at least 2/,
  );
  assert.throws(() => slopeFrom([], 7, rss), /0 sample/);
});

test('sampleOn: that day, or the last one before it', () => {
  const samples = series(10, (d) => d);
  assert.is(sampleOn(samples, 7)?.day, 7);
  assert.is(sampleOn(samples, 180)?.day, 10);
  assert.is(sampleOn(samples, 0), undefined);
});

test('the verdict: slopes of RSS and heap, bound = share of day-7 RSS per 30 days', () => {
  const sizes = { meters: 1000, days: 30, fromDay: 7, growthPerMonth: 0.02 };
  const v = soakVerdict(
    series(
      30,
      (d) => 1500 * MB + 0.5 * MB * d,
      (d) => 60 * MB - 0.1 * MB * d,
    ),
    sizes,
  );
  assert.ok(Math.abs(v.rssSlope - 0.5 * MB) < 1e-3);
  assert.ok(Math.abs(v.heapSlope + 0.1 * MB) < 1e-3);
  assert.is(v.ownOnFromDay, 1503.5 * MB);
  assert.ok(Math.abs(v.bound - (0.02 * 1503.5 * MB) / 30) < 1e-6);
  // DuckDB's cache, growing 0.4 MB a day inside that RSS, is taken out of what is judged.
  const cached = series(30, (d) => 1500 * MB + 0.5 * MB * d).map((s) => ({
    ...s,
    duckdbBufferBytes: 0.4 * MB * s.day,
  }));
  const w = soakVerdict(cached, sizes);
  assert.ok(Math.abs(w.ownSlope - 0.1 * MB) < 1e-3);
  assert.ok(Math.abs(w.duckdbBufferSlope - 0.4 * MB) < 1e-3);
  assert.ok(Math.abs(w.rssSlope - 0.5 * MB) < 1e-3);
  assert.is(w.ownOnFromDay, (1503.5 - 2.8) * MB);
  assert.throws(
    () =>
      soakVerdict(
        series(5, () => MB),
        sizes,
      ),
    /no sample on day 7/,
  );
});

test('names and the series summary', () => {
  assert.is(soakLabel(FULL.soak, 2), 'soak/engine 1M × 180 d (2 workers)');
  assert.is(soakLabel(QUICK.soak, 2), 'soak/engine 50k × 30 d (2 workers)');
  assert.is(
    seriesSummary(series(40, (d) => d * MB)),
    'day 1 1 MB RSS / 50 MB heap, day 7 7 MB RSS / 50 MB heap, day 30 30 MB RSS / 50 MB heap',
  );
});

test("sizes: QUICK is smaller than FULL; FULL is issue 18's 1,000,000 × 180 days", () => {
  assert.equal([FULL.soak.meters, FULL.soak.days], [1_000_000, 180]);
  assert.ok(QUICK.soak.meters * QUICK.soak.days <= FULL.soak.meters * FULL.soak.days);
  for (const s of [FULL.soak, QUICK.soak]) assert.ok(s.days >= s.fromDay + 2 && s.growthPerMonth > 0);
});

test.run();
