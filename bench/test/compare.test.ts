import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type CompareReport, renamedFigure } from '../src/compare/compare.ts';
import { runCompare } from '../src/compare/compare-main.ts';
import { readResultFile } from '../src/compare/result-file.ts';
import type { BenchResult } from '../src/result.ts';

/** The stored baseline for this machine kind: a real result file, not a synthetic one. */
const BASELINE = new URL('../baselines/node-2core-amd-epyc.json', import.meta.url).pathname;

type Doc = Record<string, unknown> & { results: BenchResult[]; machine: Record<string, unknown> };

async function baseline(): Promise<Doc> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(BASELINE, 'utf8')) as Doc;
}

/** NEW derived from BASE: one figure `factor` times its value (and its ratio and percentiles). */
function scaled(doc: Doc, name: string, factor: number): Doc {
  const copy = structuredClone(doc);
  const r = copy.results.find((x) => x.name === name);
  if (!r) throw new Error(`no figure ${name}`);
  r.value *= factor;
  r.p75 *= factor;
  r.p99 *= factor;
  if (r.ratio !== undefined) r.ratio *= factor;
  return copy;
}

async function withFiles<T>(docs: Record<string, unknown>, fn: (path: (name: string) => string) => Promise<T>) {
  const dir = await mkdtemp(join(tmpdir(), 'gbfleet-compare-'));
  try {
    for (const [name, content] of Object.entries(docs)) {
      await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return await fn((name) => join(dir, name));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function compare(docs: Record<string, unknown>, args: string[]) {
  return withFiles(docs, async (path) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCompare(
      args.map((a) => (a in docs ? path(a) : a)),
      { out: (t) => void out.push(t), err: (t) => void err.push(t) },
      {},
    );
    return { code, out: out.join(''), err: err.join('') };
  });
}

async function report(base: Doc, next: Doc, extra: string[] = []) {
  const r = await compare({ 'base.json': base, 'new.json': next }, ['base.json', 'new.json', '--json', ...extra]);
  return { code: r.code, report: JSON.parse(r.out) as CompareReport };
}

/** A tracked figure of the baseline matching `pick`. */
function figure(doc: Doc, pick: (r: BenchResult) => boolean, what: string): BenchResult {
  const r = doc.results.find((x) => x.tracked !== false && pick(x));
  if (!r) throw new Error(`the baseline has no ${what}`);
  return r;
}
const isRate = (r: BenchResult) => r.lowerIsBetter !== true && r.limitKind !== 'machine';
const isCrypto = (r: BenchResult) => r.limitKind === 'machine';
const isLowerBetter = (r: BenchResult) => r.lowerIsBetter === true && r.limitKind !== 'machine';

test('the stored baseline is a valid result file in the current shape', async () => {
  const doc = await readResultFile(BASELINE);
  assert.ok(doc.results.length > 10);
  assert.is(doc.machine.kind, 'node-2core-amd-epyc');
  assert.type(doc.git.revision, 'string');
  for (const r of doc.results) {
    for (const key of ['value', 'p75', 'p99', 'samples'] as const) assert.type(r[key], 'number', `${r.name}.${key}`);
    if (r.limitKind === 'machine') {
      assert.ok(r.limit !== undefined && r.ratio !== undefined, `${r.name} keeps limit and ratio`);
      assert.ok(
        Math.abs((r.ratio as number) - r.value / (r.limit as number)) < 1e-9,
        `${r.name}: ratio = value / limit`,
      );
    }
  }
  for (const group of ['micro', 'targeted', 'whole-run']) {
    assert.ok(
      doc.results.some((r) => r.group === group),
      `the baseline has ${group} figures`,
    );
  }
});

test('the baseline against itself: every tracked figure unchanged, exit 0', async () => {
  const base = await baseline();
  const { code, report: r } = await report(base, base);
  assert.is(code, 0);
  assert.ok(r.rows.length > 0);
  assert.ok(r.rows.every((row) => row.status === 'unchanged' && row.changePercent === 0));
  assert.equal(r.regressed, []);
  assert.equal(r.onlyInBase, []);
  assert.equal(r.onlyInNew, []);
});

test('a deliberately slowed build is caught: one rate 20 % worse exits 1, 5 % worse passes at threshold 10', async () => {
  const base = await baseline();
  const slowed = figure(base, isRate, 'rate compared by value');
  const worse = await compare({ 'base.json': base, 'new.json': scaled(base, slowed.name, 0.8) }, [
    'base.json',
    'new.json',
    '--threshold',
    '10',
  ]);
  assert.is(worse.code, 1);
  assert.match(worse.out, slowed.name);
  assert.match(worse.out, /-20\.0 % \| regressed/);
  assert.match(worse.out, /FAIL: 1 tracked figure/);
  const slight = await compare({ 'base.json': base, 'new.json': scaled(base, slowed.name, 0.95) }, [
    'base.json',
    'new.json',
    '--threshold',
    '10',
  ]);
  assert.is(slight.code, 0);
  assert.match(slight.out, /-5\.0 % \| unchanged/);
  assert.match(slight.out, /^OK: /m);
});

test('the default threshold is 10 % and --threshold moves it', async () => {
  const base = await baseline();
  const name = figure(base, isRate, 'rate').name;
  assert.is((await report(base, scaled(base, name, 0.85))).code, 1);
  assert.is((await report(base, scaled(base, name, 0.85), ['--threshold', '20'])).code, 0);
  assert.is((await report(base, scaled(base, name, 0.95), ['--threshold', '2.5'])).code, 1);
});

test('crypto figures are compared by their ratio to the machine limit', async () => {
  const base = await baseline();
  const crypto = figure(base, isCrypto, 'crypto figure with a machine limit');
  const { code, report: r } = await report(base, scaled(base, crypto.name, 0.8));
  assert.is(code, 1);
  const row = r.rows.find((x) => x.name === crypto.name);
  assert.is(row?.compared, 'ratio');
  assert.is(row?.base, crypto.ratio);
  assert.is(row?.status, 'regressed');

  // A machine half as fast: every value and its limit halve, the ratios stay. Not a regression.
  const slowerMachine = structuredClone(base);
  slowerMachine.machine.kind = 'node-2core-slower-cpu';
  for (const x of slowerMachine.results) {
    x.value /= 2;
    x.p75 /= 2;
    x.p99 /= 2;
    if (x.limitKind === 'machine') x.limit = (x.limit as number) / 2;
  }
  const cross = await report(base, slowerMachine);
  assert.is(cross.code, 0, 'ratios unchanged across machines; values from another machine do not gate');
  assert.ok(cross.report.rows.some((x) => x.compared === 'value' && x.status === 'regressed' && !x.gated));
  assert.ok(cross.report.rows.filter((x) => x.compared === 'ratio').every((x) => x.status === 'unchanged' && x.gated));
  assert.match(cross.report.warnings.join('\n'), /different machine kinds/);

  // On the other machine, a crypto ratio 20 % worse still fails the gate.
  const crossWorse = await report(base, scaled(slowerMachine, crypto.name, 0.8));
  assert.is(crossWorse.code, 1);
  assert.equal(crossWorse.report.regressed, [crypto.name]);
});

test('same kind but a slower host (OpenSSL limits down 25 %): values shown, not gated; ratios still gate', async () => {
  const base = await baseline();
  const slowerHost = structuredClone(base);
  for (const x of slowerHost.results) {
    x.value *= 0.75;
    x.p75 *= 0.75;
    x.p99 *= 0.75;
    if (x.limitKind === 'machine') x.limit = (x.limit as number) * 0.75;
  }
  const { code, report: r } = await report(base, slowerHost);
  assert.is(code, 0);
  assert.ok(Math.abs((r.machineSpeedChangePercent as number) + 25) < 1e-6);
  assert.match(r.warnings.join('\n'), /same machine kind, not the same speed: OpenSSL's own limits moved by -25\.0 %/);
  assert.ok(r.rows.some((x) => x.compared === 'value' && x.status === 'regressed' && !x.gated));

  const crypto = figure(base, isCrypto, 'crypto figure with a machine limit');
  const worse = await report(base, scaled(slowerHost, crypto.name, 0.8));
  assert.is(worse.code, 1);
  assert.equal(worse.report.regressed, [crypto.name]);

  // Within the threshold the host counts as the same machine, and values gate as before.
  const rate = figure(base, isRate, 'rate');
  const sameSpeed = await report(base, scaled(base, rate.name, 0.8));
  assert.is(sameSpeed.report.machineSpeedChangePercent, 0);
  assert.is(sameSpeed.code, 1);
});

test('lowerIsBetter figures regress upwards and improve downwards', async () => {
  const base = await baseline();
  const lower = figure(base, isLowerBetter, 'lower-is-better figure');
  const up = await report(base, scaled(base, lower.name, 1.2));
  assert.is(up.code, 1);
  assert.equal(up.report.regressed, [lower.name]);
  const down = await report(base, scaled(base, lower.name, 0.8));
  assert.is(down.code, 0);
  const row = down.report.rows.find((x) => x.name === lower.name);
  assert.is(row?.status, 'improved');
  assert.is(row?.lowerIsBetter, true);
  assert.ok(Math.abs((row?.changePercent as number) + 20) < 1e-9);
});

test('a faster figure is improved and does not fail', async () => {
  const base = await baseline();
  const name = figure(base, isRate, 'rate').name;
  const { code, report: r } = await report(base, scaled(base, name, 1.5));
  assert.is(code, 0);
  assert.is(r.rows.find((x) => x.name === name)?.status, 'improved');
});

test('figures in one file only are listed, not failed; untracked limits never gate', async () => {
  const base = await baseline();
  const next = structuredClone(base);
  const dropped = figure(base, isRate, 'rate').name;
  next.results = next.results.filter((r) => r.name !== dropped);
  next.results.push({ name: 'micro/new-figure', group: 'micro', unit: 'ops/s', value: 1, p75: 1, p99: 1, samples: 3 });
  const limit = next.results.find((r) => r.tracked === false);
  if (!limit) throw new Error('the baseline has no untracked figure');
  limit.value /= 2;
  const { code, report: r } = await report(base, next);
  assert.is(code, 0);
  assert.equal(r.onlyInBase, [dropped]);
  assert.equal(r.onlyInNew, ['micro/new-figure']);
  assert.ok(r.untracked.some((x) => x.name === limit.name && !x.gated));
  assert.not.ok(r.rows.some((x) => x.name === limit.name));
  const table = await compare({ 'base.json': base, 'new.json': next }, ['base.json', 'new.json']);
  assert.match(table.out, /Only in BASE \(not compared\):\n {2}/);
  assert.match(table.out, /Only in NEW \(not compared\):\n {2}micro\/new-figure/);
});

test('renamed figures (the kernel in the pool and key-material names) compare under the new name; new kernels are only listed', async () => {
  const base = await baseline();
  const old = 'pool/complete-critical-command (2 workers, batch 512)';
  const renamedTo = 'pool/complete-critical-command (2 workers, batch 512, js)';
  assert.ok(
    base.results.some((r) => r.name === old),
    `the baseline has ${old}`,
  );
  const next = structuredClone(base);
  for (const r of next.results) r.name = renamedFigure(r.name) ?? r.name;
  const js = next.results.find((r) => r.name === renamedTo) as BenchResult;
  next.results.push({
    ...js,
    name: 'pool/complete-critical-command (2 workers, batch 512, native)',
    value: js.value * 2,
  });
  const { code, report: r } = await report(base, next);
  assert.is(code, 0);
  assert.ok(r.renamed.some((x) => x.from === old && x.to === renamedTo));
  assert.ok(r.renamed.some((x) => x.to === 'keys/device-key-material (2 workers, js)'));
  assert.ok(r.rows.some((x) => x.name === renamedTo && x.status === 'unchanged'));
  assert.equal(r.onlyInBase, []);
  assert.equal(r.onlyInNew, ['pool/complete-critical-command (2 workers, batch 512, native)']);
  // A renamed figure still gates: 20 % slower under its new name fails.
  const { code: worse, report: w } = await report(base, scaled(next, renamedTo, 0.8));
  assert.is(worse, 1);
  assert.equal(w.regressed, [renamedTo]);
  const table = await compare({ 'base.json': base, 'new.json': next }, ['base.json', 'new.json']);
  assert.match(table.out, /Renamed since BASE \(compared under the new name\):\n {2}pool\//);
  // Names that were never renamed, or are already new, map to nothing.
  assert.is(renamedFigure(renamedTo), undefined);
  assert.is(renamedFigure('crypto/node-sign-p256 (1 thread)'), undefined);
});

test('a deliberately slowed file is flagged in the warnings', async () => {
  const base = await baseline();
  const next = { ...structuredClone(base), slowdown: { figure: 'frames/decode (signed, MAC-wrapped)', factor: 1.3 } };
  const { report: r } = await report(base, next);
  assert.match(r.warnings.join('\n'), /NEW was deliberately slowed \(GBFLEET_BENCH_SLOWDOWN=1\.3/);
});

test('synthetic: a base of 0 and equal units', async () => {
  const doc = (value: number, extra: Partial<BenchResult> = {}) => ({
    schemaVersion: 2,
    machine: { cpuModel: 'Test CPU', cores: 2, kind: 'node-2core-test-cpu' },
    git: { revision: 'unknown', dirty: 'unknown' },
    date: '2026-01-01T00:00:00Z',
    sizes: 'full',
    results: [{ name: 'x', group: 'micro', unit: 'ops/s', value, p75: value, p99: value, samples: 1, ...extra }],
  });
  const zero = await report(doc(0) as unknown as Doc, doc(0) as unknown as Doc);
  assert.is(zero.code, 0);
  assert.is(zero.report.rows[0]?.changePercent, null);
  const fromZero = await report(
    doc(0, { lowerIsBetter: true }) as unknown as Doc,
    doc(5, { lowerIsBetter: true }) as unknown as Doc,
  );
  assert.is(fromZero.code, 1);
  const units = await report(
    doc(1) as unknown as Doc,
    { ...doc(1), results: [{ ...doc(1).results[0], unit: 'frames/s' }] } as unknown as Doc,
  );
  assert.is(units.code, 0);
  assert.match(units.report.warnings.join('\n'), /unit changed from ops\/s to frames\/s/);
});

// Hostile input: every problem exits 2 with a message naming the file, the field and the value.

test('bad input: a missing file', async () => {
  const base = await baseline();
  const r = await compare({ 'base.json': base }, ['base.json', '/nonexistent/new.json']);
  assert.is(r.code, 2);
  assert.match(r.err, '/nonexistent/new.json: no such file');
});

test('bad input: not JSON, or empty', async () => {
  const base = await baseline();
  const r = await compare({ 'base.json': base, 'new.json': '{"results": [' }, ['base.json', 'new.json']);
  assert.is(r.code, 2);
  assert.match(r.err, /new\.json: not JSON/);
  const empty = await compare({ 'base.json': base, 'new.json': '' }, ['base.json', 'new.json']);
  assert.match(empty.err, /new\.json: not JSON \(the file is empty\)/);
});

test('bad input: wrong shapes name the file and the field', async () => {
  const base = await baseline();
  const cases: Array<[string, (d: Doc) => unknown, RegExp]> = [
    ['an array', () => [], /the top level is an array: expected an object/],
    ['no schemaVersion', (d) => ({ ...d, schemaVersion: undefined }), /schemaVersion is missing: expected 2/],
    ['schemaVersion 1', (d) => ({ ...d, schemaVersion: 1 }), /schemaVersion is 1: expected 2/],
    ['no machine', (d) => ({ ...d, machine: undefined }), /machine is missing/],
    [
      'cores "two"',
      (d) => ({ ...d, machine: { ...d.machine, cores: 'two' } }),
      /machine\.cores is "two": expected an integer ≥ 1/,
    ],
    ['no git', (d) => ({ ...d, git: undefined }), /git is missing: expected an object with revision/],
    ['sizes', (d) => ({ ...d, sizes: 'medium' }), /sizes is "medium": expected "full" or "quick"/],
    ['results not an array', (d) => ({ ...d, results: {} }), /results is an object: expected an array/],
    [
      'value a string',
      (d) => ({ ...d, results: [{ ...d.results[0], value: 'fast' }] }),
      /results\[0\] \(".*"\)\.value is "fast": expected a finite number ≥ 0/,
    ],
    [
      'negative p99',
      (d) => ({ ...d, results: [{ ...d.results[0], p99: -1 }] }),
      /results\[0\] \(".*"\)\.p99 is -1: expected a finite number ≥ 0/,
    ],
    ['no name', (d) => ({ ...d, results: [{ ...d.results[0], name: undefined }] }), /results\[0\]\.name is missing/],
    [
      'samples 0',
      (d) => ({ ...d, results: [{ ...d.results[0], samples: 0 }] }),
      /\.samples is 0: expected an integer ≥ 1/,
    ],
    [
      'limit without ratio',
      (d) => ({ ...d, results: [{ ...d.results[0], limit: 5, ratio: undefined, limitKind: undefined }] }),
      /\.ratio is missing: expected limit and ratio together, or neither/,
    ],
    [
      'bad limitKind',
      (d) => ({ ...d, results: [{ ...d.results[0], limit: 5, ratio: 1, limitKind: 'cpu' }] }),
      /\.limitKind is "cpu": expected absent, "machine" or "target"/,
    ],
    [
      'lowerIsBetter "yes"',
      (d) => ({ ...d, results: [{ ...d.results[0], lowerIsBetter: 'yes' }] }),
      /\.lowerIsBetter is "yes": expected absent, true or false/,
    ],
    [
      'a repeated name',
      (d) => ({ ...d, results: [d.results[0], d.results[0]] }),
      /results\[1\]\.name is ".*": expected a name not already used \(results\[0\]\)/,
    ],
  ];
  for (const [what, make, message] of cases) {
    const r = await compare({ 'base.json': base, 'new.json': make(base) }, ['base.json', 'new.json']);
    assert.is(r.code, 2, what);
    assert.match(r.err, /new\.json: /, `${what}: names the file`);
    assert.match(r.err, message, what);
    assert.is(r.out, '', `${what}: nothing compared`);
  }
});

test('bad input: flags and arguments', async () => {
  const base = await baseline();
  const files = { 'base.json': base, 'new.json': base };
  const cases: Array<[string[], RegExp]> = [
    [['base.json'], /expected two files, BASE\.json and NEW\.json; got 1/],
    [['base.json', 'new.json', 'third.json'], /got 3/],
    [['base.json', 'new.json', '--threshold', 'ten'], /--threshold "ten" is not a percentage/],
    [['base.json', 'new.json', '--threshold', '0'], /--threshold "0" is not a percentage/],
    [['base.json', 'new.json', '--threshold=-5'], /--threshold "-5" is not a percentage/],
    [['base.json', 'new.json', '--threshold', '-5'], /--threshold/],
    [['base.json', 'new.json', '--threshold='], /--threshold "" is not a percentage/],
    [['base.json', 'new.json', '--fast'], /Unknown option '--fast'/],
  ];
  for (const [args, message] of cases) {
    const r = await compare(files, args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
  }
});

test('relative paths are taken from INIT_CWD (where pnpm was started)', async () => {
  const base = await baseline();
  await withFiles({ 'base.json': base, 'new.json': base }, async (path) => {
    const dir = path('.');
    const out: string[] = [];
    const code = await runCompare(
      ['base.json', 'new.json', '--json'],
      { out: (t) => void out.push(t), err: () => {} },
      { INIT_CWD: dir },
      '/',
    );
    assert.is(code, 0);
    assert.is((JSON.parse(out.join('')) as CompareReport).base.file, 'base.json');
  });
});

test.run();
