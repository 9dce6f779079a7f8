/**
 * The planned end of delayed revocation: the step after the last shard's last first SR 6.23, each
 * shard sending at its share of the SoLR's rate from the SoLR's start.
 */
import { ShardQuota } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plannedRevocationStep } from '../src/revocation-plan.ts';

// 1,000 meters in shards of 400 (400, 400, 200) at 5 SR 6.23s a step: 2, 2 and 1 a step.
const quota = new ShardQuota(5, 1000, 400);

test('revocation comes the step after the slowest shard has sent each of its customers one SR 6.23', () => {
  // Shard 0: 7 customers, 2 a step → steps 100..103; shard 2: 5 at 1 a step → 100..104.
  assert.is(plannedRevocationStep([7, 0, 5], quota, 10, 100, 1000), 105);
  // A busier shard 1 decides instead: 12 at 2 a step → 100..105.
  assert.is(plannedRevocationStep([7, 12, 5], quota, 10, 100, 1000), 106);
});

test('no customers: revoked the step after the failure; a programme past the run: never', () => {
  assert.is(plannedRevocationStep([0, 0, 0], quota, 10, 100, 1000), 11);
  assert.is(plannedRevocationStep([7, 0, 5], quota, 10, 100, 103), null);
  // Its last send in the run's last step: revoked after the run, as the whole run would.
  assert.is(plannedRevocationStep([7, 0, 5], quota, 10, 100, 104), 105);
});

test('a fractional rate: a small shard waits for its allowance to add up', () => {
  // 0.5 a step over 1,000 meters: shard 2 (200 meters) gets 0.1 a step, one SR 6.23 every 10 steps.
  const slow = new ShardQuota(0.5, 1000, 400);
  assert.is(plannedRevocationStep([0, 0, 2], slow, 0, 0, 1000), 20);
});

test.run();
