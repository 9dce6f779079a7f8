/**
 * The stage lines on stderr: the fleet built, the meters rows written. In a log each is a line of
 * its own; on a terminal it goes above the redrawn progress line, which is drawn again below it.
 */
import type { RunProgress } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { progressReporter, stageLine } from '../src/progress.ts';

const progress: RunProgress = {
  step: 1,
  steps: 24,
  simulatedTime: '2026-01-05T01:00:00.000Z',
  elapsedSeconds: 1,
  meterStepsPerSecond: 0,
  commandsPerSecond: 0,
  etaSeconds: 23,
  workerHeapUsedBytes: null,
};

test('each stage reads as the user sees it', () => {
  assert.is(
    stageLine({ stage: 'fleet-built', meters: 32_000_000, seconds: 6.07, workers: 2 }),
    'run: fleet built: 32,000,000 meters in 6.1 s (2 workers)',
  );
  assert.is(
    stageLine({ stage: 'fleet-built', meters: 1000, seconds: 0.01, workers: 1 }),
    'run: fleet built: 1,000 meters in 0.0 s (1 worker)',
  );
  assert.is(
    stageLine({ stage: 'fleet-restored', meters: 500_000, seconds: 1.25 }),
    'run: fleet restored: 500,000 meters from the checkpoint in 1.3 s',
  );
  assert.is(
    stageLine({ stage: 'meters-written', rows: 32_000_000, seconds: 35.3 }),
    'run: meters rows written: 32,000,000 in 35.3 s, beside the steps',
  );
});

test('in a log a stage is a plain line; on a terminal it goes above the progress line, drawn again', () => {
  const log = memoryIo();
  const plain = progressReporter(log);
  plain.stage({ stage: 'fleet-built', meters: 10, seconds: 1, workers: 2 });
  plain.update(progress);
  assert.equal(log.stderr.slice(0, 1), ['run: fleet built: 10 meters in 1.0 s (2 workers)\n']);

  const terminal = { ...memoryIo(), errIsTty: true };
  const written: string[] = [];
  terminal.err = (text) => written.push(text);
  const redrawn = progressReporter(terminal);
  redrawn.update(progress);
  redrawn.stage({ stage: 'meters-written', rows: 10, seconds: 2 });
  const bar = (written[0] as string).slice(1, -3);
  assert.is(written[1], `\rrun: meters rows written: 10 in 2.0 s, beside the steps\u001b[K\n${bar}`);
  redrawn.done();
  assert.is(written[2], '\n');
});

test.run();
