/** Hours to steps: delays round up, clock leads to the nearest step. (The counter scheme itself is core's.) */
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { hoursToSteps } from '../src/index.ts';

test('hours to steps: delays round up, clock leads to the nearest step', () => {
  assert.equal(hoursToSteps(24, 60), 24);
  assert.equal(hoursToSteps(1, 120), 1);
  assert.equal(hoursToSteps(1.5, 60), 2);
  assert.equal(hoursToSteps(1, 120, 'nearest'), 1);
  assert.equal(hoursToSteps(5, 1440, 'nearest'), 0);
  assert.equal(hoursToSteps(13, 1440, 'nearest'), 1);
});

test.run();
