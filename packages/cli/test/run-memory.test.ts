/**
 * A run too big for its memory is refused before anything runs: exit 2, GBF_TOO_BIG, a message
 * with the estimate and its parts, and no output folder or database. That holds for the national
 * scenario against a small --max-memory, a segment (which needs only its share), a sweep, and
 * --resume. A bad --max-memory is a usage error. The estimate follows the meters the process
 * simulates.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateRunMemory, parseScenario } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { checkRunFits, parseMemorySize } from '../src/memory-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-memory-'));

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, err: io.stderr.join('') };
}

test('the national run against 4G: refused with the estimate, nothing written', async () => {
  const out = join(dir, 'national');
  const { code, err } = await run(['run', 'scenarios/gb-national.yaml', '--max-memory', '4G', '--out', out]);
  assert.is(code, 2, err);
  assert.match(err, '[GBF_TOO_BIG]');
  assert.match(err, /gb-national: 32,000,000 meters need about \d+\.\d GB \(fleet state 1\.9 GB, key material/);
  assert.match(err, 'more than the 4.0 GB --max-memory allows');
  assert.match(err, '--segments N');
  assert.not.ok(existsSync(out), 'no output folder');
});

test('a segment needs only its share: 1 of 8 national segments fits where the whole does not', () => {
  const spec = parseScenario({ name: 'n', fleet: { meters: 32_000_000 } });
  const whole = estimateRunMemory(spec, { workers: 2 });
  const eighth = estimateRunMemory(spec, { workers: 2, segment: { index: 0, count: 8 } });
  assert.ok(eighth.meters < whole.meters / 7 && eighth.bytes < whole.bytes / 2, `${eighth.bytes} vs ${whole.bytes}`);
  const maxMemory = Math.round((eighth.bytes + whole.bytes) / 2);
  assert.throws(() => checkRunFits(spec, { workers: 2, maxMemory }), /GB --max-memory allows/);
  checkRunFits(spec, { workers: 2, segment: { index: 0, count: 8 }, maxMemory });
});

test('a small run under a generous --max-memory runs', async () => {
  const { code, err } = await run([
    'run',
    'scenarios/default.yaml',
    '--meters',
    '2000',
    '--days',
    '1',
    '--workers',
    '1',
    '--max-memory',
    '8G',
    '--out',
    join(dir, 'small'),
  ]);
  assert.is(code, 0, err);
});

test('bad --max-memory values are usage errors', async () => {
  for (const bad of ['lots', '-1G', '0', '12X', '1K', '']) {
    const { code, err } = await run([
      'run',
      'scenarios/default.yaml',
      `--max-memory=${bad}`,
      '--out',
      join(dir, 'bad'),
    ]);
    assert.is(code, 2, `${bad}: ${err}`);
    assert.match(err, '[GBF_USAGE]');
    assert.match(err, 'is not a memory size');
  }
  assert.not.ok(existsSync(join(dir, 'bad')));
  assert.is(parseMemorySize('--max-memory', '12G'), 12 * 2 ** 30);
  assert.is(parseMemorySize('--max-memory', '512MiB'), 512 * 2 ** 20);
  assert.is(parseMemorySize('--max-memory', '1.5g'), 1.5 * 2 ** 30);
});

test('the estimate grows with the meters and the workers', () => {
  const at = (meters: number, workers: number) =>
    estimateRunMemory(parseScenario({ name: 'n', fleet: { meters } }), { workers }).bytes;
  assert.ok(at(2_000_000, 2) > at(1_000_000, 2));
  assert.ok(at(1_000_000, 4) > at(1_000_000, 2));
  // Per meter, a large fleet costs its state, its key index, its meters row and the keys' slots:
  // 63 + 4 + 28 bytes and 36 for a fifth of them, with the margin.
  const perMeter = (at(32_000_000, 2) - at(1_000_000, 2)) / 31_000_000;
  assert.ok(perMeter > 100 && perMeter < 130, `${perMeter} B a meter`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
