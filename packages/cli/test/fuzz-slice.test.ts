/**
 * CI's slice of the fuzz suite (issue 18; `pnpm fuzz` runs ≥ 1,000,000 per decoder nightly):
 * about 20,000 inputs across every decoder, fixed seed, and each crash the stress runs found,
 * kept as a regression case. Timing is reported by `pnpm fuzz`, not asserted here (STYLE #19).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenarioVariants } from '../src/scenario-file.ts';
import { flowNestingTooDeep } from '../src/yaml-nesting.ts';
import { type FuzzStats, runTarget } from './helpers/fuzz-harness.ts';
import { ALL_TARGETS } from './helpers/fuzz-targets.ts';

const SEED = 20260;
/** Inputs per target: the file-reading decoders cost ~100× a frame, so they get fewer. */
const SLICE: Record<string, number> = {
  'frame-general': 4000,
  'frame-signed': 4000,
  'utrn-20': 2000,
  'utrn-40': 2000,
  'utrn-60': 2000,
  'keystore-pem': 2000,
  'keystore-der': 2000,
  'scenario-yaml': 500,
  'segment-manifest': 1500,
  'checkpoint-file': 1500,
};

function explain(stats: FuzzStats): string {
  return stats.failures.map((f) => `${f.kind} seed=${f.seed} index=${f.index}: ${f.message}\n${f.hex}`).join('\n');
}

for (const make of ALL_TARGETS) {
  const target = make();
  test(`${target.name}: ${SLICE[target.name]} inputs, seed ${SEED}, only coded outcomes`, async () => {
    try {
      const stats = await runTarget(target, SEED, SLICE[target.name] ?? 1000, { checkTime: false });
      assert.is(stats.crashes + stats.invariantBreaks, 0, explain(stats));
      assert.ok(stats.accepted > 0, 'no input was accepted: the corpus does not reach the decoder');
      assert.ok(Object.keys(stats.codes).length > 0, 'no input was rejected');
    } finally {
      target.close?.();
    }
  });
}

// Regression, found by `pnpm fuzz` probing scenario-yaml: 100,000 nested flow brackets (200 kB)
// overflowed the yaml parser's stack and took ~1 s to refuse; now refused before parsing.
test('scenario-yaml regression: brackets nested 100,000 deep are refused before parsing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-fuzz-regression-'));
  try {
    const path = join(dir, 'deep.yaml');
    writeFileSync(path, `name: x\nfleet: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const error = await loadScenarioVariants(path).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    assert.is(error?.code, 'GBF_INPUT');
    assert.match(error?.message ?? '', `${path}:2:72: brackets nest more than 64 levels deep`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('flow nesting: brackets in quotes and comments do not count; 64 levels pass, 65 do not', () => {
  assert.is(flowNestingTooDeep(`a: ${'['.repeat(64)}${']'.repeat(64)}`, 64), undefined);
  assert.is(flowNestingTooDeep(`a: ${'['.repeat(65)}`, 64), 67);
  assert.is(
    flowNestingTooDeep(`a: "${'['.repeat(100)}"\nb: '[[[''[[[' # ${'{'.repeat(100)}\nc: it's [1]`, 2),
    undefined,
  );
  assert.is(flowNestingTooDeep(`name: Supplier's ${'['.repeat(3)}`, 2), 19);
});

test.run();
