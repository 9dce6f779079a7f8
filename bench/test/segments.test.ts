import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FULL, QUICK } from '../src/configurations.ts';
import { mergeLabel, segmentWorkers, splitLabel } from '../src/whole-run/segments.bench.ts';

test('names carry the scenario, meters × days and the shards or segments', () => {
  assert.is(splitLabel(FULL.wholeRun.segments.split), 'whole-run/segments default.yaml 1M × 3 d (8 shards)');
  assert.is(mergeLabel(FULL.wholeRun.segments.merge), 'whole-run/merge default.yaml 10M × 1 d (8 segments)');
  assert.is(splitLabel(QUICK.wholeRun.segments.split), 'whole-run/segments default.yaml 40k × 2 d (4 shards)');
  assert.is(mergeLabel(QUICK.wholeRun.segments.merge), 'whole-run/merge default.yaml 200k × 1 d (8 segments)');
});

test('segments at once share the cores, at least one worker each', () => {
  assert.is(segmentWorkers(2, 1), 2);
  assert.is(segmentWorkers(2, 2), 1);
  assert.is(segmentWorkers(2, 4), 1);
  assert.is(segmentWorkers(8, 4), 2);
  assert.is(segmentWorkers(8, 3), 2);
});

test.run();
