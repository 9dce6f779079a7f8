import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DECODE } from '../src/micro/frames.bench.ts';
import { SLOWED_FIGURE, SlowdownError, slowdownFactor, slowed } from '../src/slowdown.ts';

test('the factor: unset is 1, numbers from 1 to 10 are read', () => {
  assert.is(slowdownFactor({}), 1);
  assert.is(slowdownFactor({ GBFLEET_BENCH_SLOWDOWN: ' ' }), 1);
  assert.is(slowdownFactor({ GBFLEET_BENCH_SLOWDOWN: '1.3' }), 1.3);
  assert.is(slowdownFactor({ GBFLEET_BENCH_SLOWDOWN: '10' }), 10);
});

test('hostile values name the variable, the value and the range', () => {
  for (const bad of ['x', '0', '0.99', '-2', '10.5', 'NaN', '1e400', '1,3']) {
    assert.throws(
      () => slowdownFactor({ GBFLEET_BENCH_SLOWDOWN: bad }),
      (e: unknown) =>
        e instanceof SlowdownError &&
        e.message.includes(`GBFLEET_BENCH_SLOWDOWN=${JSON.stringify(bad)}`) &&
        e.message.includes('from 1 to 10'),
      bad,
    );
  }
});

test('slowed runs the work exactly once, at any factor', () => {
  for (const factor of [1, 1.3, 2]) {
    let calls = 0;
    slowed(factor, () => {
      calls++;
    });
    assert.is(calls, 1);
  }
});

test('the slowed figure is the frame-decode micro bench', () => {
  assert.is(DECODE, SLOWED_FIGURE);
});

test.run();
