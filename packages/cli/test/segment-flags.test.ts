/** Which segment a process runs: --segment K/N, or the scheduler's variables; bad values are usage errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { segmentOf } from '../src/segment-flags.ts';

test('--segment K/N, with or without a matching --segments', () => {
  assert.equal(segmentOf({}, {}), undefined);
  assert.equal(segmentOf({ segment: '2/4' }, {}), { index: 2, count: 4 });
  assert.equal(segmentOf({ segment: ' 0/1 ' }, {}), { index: 0, count: 1 });
  assert.equal(segmentOf({ segment: '1/3', segments: '3' }, {}), { index: 1, count: 3 });
});

test('the schedulers: Kubernetes, AWS Batch and Slurm (from its first task)', () => {
  assert.equal(segmentOf({ segments: '8' }, { JOB_COMPLETION_INDEX: '5' }), { index: 5, count: 8 });
  assert.equal(segmentOf({ segments: '4' }, { AWS_BATCH_JOB_ARRAY_INDEX: '0' }), { index: 0, count: 4 });
  const slurm = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' };
  assert.equal(segmentOf({ segment: 'auto' }, slurm), { index: 3, count: 4 });
  assert.equal(segmentOf({ segments: '4' }, slurm), { index: 3, count: 4 });
  // --array=1-4: task 1 is segment 0.
  const fromOne = { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' };
  assert.equal(segmentOf({ segment: 'auto' }, fromOne), { index: 0, count: 4 });
});

test('bad segments are refused, naming the flag or the variable', () => {
  const refused = (flags: Parameters<typeof segmentOf>[0], env: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => segmentOf(flags, env),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'GBF_USAGE');
        assert.match(e.message, pattern);
        return true;
      },
    );
  refused({ segment: '4/4' }, {}, /K must be below N/);
  refused({ segment: '0/0' }, {}, /--segment N "0": expected a whole number ≥ 1|expected 1 to/);
  refused({ segment: '1.5/4' }, {}, /expected K\/N/);
  refused({ segment: '-1/4' }, {}, /expected K\/N/);
  refused({ segment: 'two/four' }, {}, /expected K\/N/);
  refused({ segment: '1/4', segments: '3' }, {}, /disagree on N/);
  refused({ segments: 'x' }, {}, /--segments "x": expected a whole number/);
  refused({ segments: '0' }, {}, /--segments 0: expected 1 to/);
  refused({ segments: '4' }, {}, /needs the segment index from a scheduler/);
  refused({ segment: 'auto' }, {}, /needs the segment index from a scheduler/);
  refused({ segments: '4' }, { JOB_COMPLETION_INDEX: '4' }, /outside 0 to 3/);
  refused({ segments: '4' }, { JOB_COMPLETION_INDEX: 'three' }, /JOB_COMPLETION_INDEX="three"/);
  refused({ segment: 'auto' }, { AWS_BATCH_JOB_ARRAY_INDEX: '1' }, /add --segments N/);
  refused({ segments: '5' }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }, /Slurm array has 4 tasks/);
});

test.run();
