import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type BenchSizes, FULL, QUICK } from '../src/configurations.ts';

const ROOT = new URL('../../', import.meta.url);

for (const [label, sizes] of [
  ['FULL', FULL],
  ['QUICK', QUICK],
] as Array<[string, BenchSizes]>) {
  test(`${label}: every size is a positive integer and every batch size has a command count`, () => {
    const positive = (path: string, v: number) => assert.ok(Number.isInteger(v) && v > 0, `${label}.${path} = ${v}`);
    positive('taskTimeMs', sizes.taskTimeMs);
    positive('minIterations', sizes.minIterations);
    positive('opensslSeconds', sizes.opensslSeconds);
    for (const [k, v] of Object.entries(sizes.micro.opsPerIteration)) positive(`micro.opsPerIteration.${k}`, v);
    for (const b of sizes.poolBatchSizes)
      positive(`poolCommandsPerIteration[${b}]`, sizes.poolCommandsPerIteration[b] ?? 0);
    positive('keyMaterialDevices', sizes.keyMaterialDevices);
    assert.ok(sizes.ingestRows >= 3, 'measureIngest needs ≥ 3 rows');
    positive('ingestRepeats', sizes.ingestRepeats);
    positive('engine.buildMeters', sizes.engine.buildMeters);
    positive('wholeRun.runMeters', sizes.wholeRun.runMeters);
    assert.ok(sizes.wholeRun.scenarios.length > 0);
  });

  test(`${label}: the kernel micro benches make whole calls of kernelBatch operations`, () => {
    const { opsPerIteration: ops, kernelBatch } = sizes.micro;
    assert.ok(Number.isInteger(kernelBatch) && kernelBatch > 0);
    for (const v of [ops.nativeSign, ops.nativeVerify, ops.nativeMac, ops.nativeKdf, ops.jsMac]) {
      assert.is(v % kernelBatch, 0, `${label}: ${v} is a multiple of ${kernelBatch}`);
    }
    assert.ok(sizes.keyMemory.verifierKeys > 0 && sizes.keyMemory.keyObjects > 0);
  });

  test(`${label}: the segment sizes split into whole shards (at least one shard per segment)`, () => {
    const { split, merge } = sizes.wholeRun.segments;
    for (const [what, size, counts] of [
      ['split', split, split.counts],
      ['merge', merge, [merge.segments]],
    ] as const) {
      assert.ok(existsSync(new URL(size.file, ROOT)), `${label} segments.${what}: ${size.file} exists`);
      for (const v of [size.meters, size.days, size.shardMeters, ...counts]) {
        assert.ok(Number.isInteger(v) && v > 0, `${label} segments.${what}: ${v}`);
      }
      const shards = Math.ceil(size.meters / size.shardMeters);
      for (const n of counts)
        assert.ok(n >= 2 && n <= shards, `${label} segments.${what}: ${n} segments of ${shards} shards`);
    }
  });

  test(`${label}: the whole-run scenarios are shipped files`, () => {
    for (const s of sizes.wholeRun.scenarios) {
      assert.ok(existsSync(new URL(s.file, ROOT)), `${s.file} exists`);
      assert.ok(s.meters > 0 && s.days > 0);
    }
  });
}

test('QUICK is never bigger than FULL', () => {
  assert.ok(QUICK.keyMaterialDevices <= FULL.keyMaterialDevices);
  assert.ok(QUICK.ingestRows <= FULL.ingestRows);
  assert.ok(QUICK.wholeRun.runMeters * QUICK.wholeRun.runDays <= FULL.wholeRun.runMeters * FULL.wholeRun.runDays);
  assert.ok(QUICK.taskTimeMs <= FULL.taskTimeMs);
  assert.ok(QUICK.keyMemory.verifierKeys <= FULL.keyMemory.verifierKeys);
  assert.ok(QUICK.keyMemory.keyObjects <= FULL.keyMemory.keyObjects);
  for (const part of ['split', 'merge'] as const) {
    const q = QUICK.wholeRun.segments[part];
    const f = FULL.wholeRun.segments[part];
    assert.ok(q.meters * q.days <= f.meters * f.days, `segments.${part}`);
  }
});

test.run();
