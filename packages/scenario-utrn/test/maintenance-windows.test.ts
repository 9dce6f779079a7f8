/**
 * DP092 maintenance windows generated for every month of a run: all within 20:00–08:00 UTC, at
 * most six hours, at most one high-impact and three low-impact a month, on distinct nights, the
 * same for the same seed; explicit events count against the month's allowance.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allowedStartHours, parseUtrnConfig, planMaintenance, withinNight } from '../src/index.ts';
import { smallUtrnSpec } from './helpers/utrn-spec.ts';

const DAY_MS = 86_400_000;

function windowsFor(days: number, seed: string, events: unknown[] = []) {
  const spec = smallUtrnSpec({
    days,
    seed,
    events,
    utrn: { maintenance: { highImpactPerMonth: 1, lowImpactPerMonth: 3, hours: 6 } },
  });
  const config = parseUtrnConfig(spec);
  if (!config) throw new Error('config');
  return { spec, windows: planMaintenance(config, spec) };
}

test('night rule: 20:00–08:00, at most six hours', () => {
  assert.ok(withinNight(20 * 60, 6));
  assert.ok(withinNight(2 * 60, 6));
  assert.not.ok(withinNight(3 * 60, 6));
  assert.not.ok(withinNight(19 * 60 + 59, 1));
  assert.ok(withinNight(23 * 60, 9), 'the length limit is the schema’s: 6');
  assert.equal(allowedStartHours(6), [20, 21, 22, 23, 0, 1, 2]);
  assert.equal(allowedStartHours(1), [20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7]);
});

test('generated windows keep DP092 in every month of a year-long run', () => {
  for (const seed of ['1', '2', '3']) {
    const { spec, windows } = windowsFor(365, seed);
    const start = Date.parse(spec.start);
    const perMonth = new Map<string, { high: number; low: number }>();
    const nights = new Set<number>();
    for (const w of windows) {
      const ms = start + w.startStep * 3_600_000;
      const minute = (ms % DAY_MS) / 60_000;
      assert.ok(withinNight(minute, w.hours), `${new Date(ms).toISOString()} for ${w.hours} h`);
      assert.ok(w.hours <= 6);
      const month = new Date(ms).toISOString().slice(0, 7);
      const c = perMonth.get(month) ?? { high: 0, low: 0 };
      c[w.impact]++;
      perMonth.set(month, c);
      const night = Math.floor((ms - (minute < 8 * 60 ? DAY_MS : 0)) / DAY_MS);
      assert.not.ok(nights.has(night), 'one window a night');
      nights.add(night);
    }
    for (const [month, c] of perMonth) {
      assert.ok(c.high <= 1 && c.low <= 3, `${month}: ${JSON.stringify(c)}`);
    }
    // Whole months inside the run get their full allowance.
    assert.equal(perMonth.get('2018-06'), { high: 1, low: 3 });
    assert.equal(windowsFor(365, seed).windows, windows, 'same seed, same windows');
  }
  assert.not.equal(windowsFor(365, '1').windows, windowsFor(365, '2').windows);
});

test('explicit events use up the month’s allowance before generated ones', () => {
  const { windows } = windowsFor(31, '5', [
    { day: 3, hour: 22, type: 'dcc-maintenance', hours: 4, impact: 'high' },
    { day: 5, hour: 1, type: 'dcc-maintenance', hours: 2, impact: 'low' },
  ]);
  const march = windows.filter((w) => w.startStep < 31 * 24);
  assert.is(march.filter((w) => w.impact === 'high').length, 1);
  assert.is(march.filter((w) => w.impact === 'low').length, 3);
  assert.ok(march.some((w) => w.event === 0 && w.startStep === 3 * 24 + 22 && w.steps === 4));
  assert.ok(march.some((w) => w.event === 1 && w.startStep === 5 * 24 + 1));
});

test.run();
