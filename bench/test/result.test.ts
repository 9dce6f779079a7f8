import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromSamples, quantile, single, withLimit } from '../src/result.ts';

test('quantile interpolates between neighbours', () => {
  assert.is(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantile([10], 0.99), 10);
  assert.is(quantile([0, 100], 0.75), 75);
});

test('fromSamples: median, and p75/p99 on the slower side', () => {
  const rate = fromSamples('r', 'targeted', 'rows/s', [300, 100, 200]);
  assert.is(rate.value, 200);
  assert.is(rate.p75, 150, 'low rates are the slow side');
  assert.ok(rate.p99 < rate.p75);
  assert.is(rate.samples, 3);
  const seconds = fromSamples('s', 'whole-run', 's', [3, 1, 2], { lowerIsBetter: true });
  assert.is(seconds.value, 2);
  assert.is(seconds.p75, 2.5, 'high times are the slow side');
  assert.ok(seconds.p99 > seconds.p75);
  assert.throws(() => fromSamples('none', 'micro', 'ops/s', []), /no samples/);
});

test('single and withLimit', () => {
  const r = withLimit(single('x', 'micro', 'ops/s', 50), 200, 'machine');
  assert.equal(r, {
    name: 'x',
    group: 'micro',
    unit: 'ops/s',
    value: 50,
    p75: 50,
    p99: 50,
    samples: 1,
    limit: 200,
    ratio: 0.25,
    limitKind: 'machine',
  });
});

test.run();
