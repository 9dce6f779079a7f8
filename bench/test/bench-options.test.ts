import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BenchUsageError, DEFAULT_PARTS, GROUPS, PARTS, parseBenchOptions } from '../src/bench-options.ts';

const parts = (argv: string[]) => [...parseBenchOptions(argv, {}, '/work').parts].sort();

test('suites: all by default (every part but the soak), groups, parts, aliases and lists', () => {
  assert.equal(parts([]), [...DEFAULT_PARTS].sort());
  assert.equal(parts(['--suite', 'all']), [...PARTS].filter((p) => p !== 'soak').sort());
  assert.equal(parts(['--suite', 'soak']), ['soak']);
  assert.equal(parts(['--suite', 'micro']), [...GROUPS.micro].sort());
  assert.equal(parts(['--suite', 'targeted']), [...GROUPS.targeted].sort());
  assert.equal(parts(['--suite', 'whole-run']), [...GROUPS['whole-run']].sort());
  assert.equal(parts(['--suite', 'engine']), ['engine-run', 'fleet']);
  assert.equal(parts(['--suite', 'crypto,ingest']), ['crypto', 'ingest']);
  assert.equal(parts(['--suite', 'micro, scenarios']), [...GROUPS.micro, 'scenarios'].sort());
});

test('flags: --quick, --check, --machine-kind, --help', () => {
  const o = parseBenchOptions(['--quick', '--check', '--machine-kind', '-h'], {}, '/work');
  assert.is(o.quick, true);
  assert.is(o.check, true);
  assert.is(o.machineKind, true);
  assert.is(o.help, true);
  assert.is(o.slowdown, 1);
  assert.is(o.json, undefined);
});

test('--json: relative to INIT_CWD when pnpm set it, else to the working folder; absolute kept', () => {
  assert.is(parseBenchOptions(['--json', 'out.json'], { INIT_CWD: '/repo' }, '/repo/bench').json, '/repo/out.json');
  assert.is(parseBenchOptions(['--json', 'out.json'], {}, '/somewhere').json, '/somewhere/out.json');
  assert.is(parseBenchOptions(['--json', '/tmp/x.json'], { INIT_CWD: '/repo' }, '/').json, '/tmp/x.json');
});

test('GBFLEET_BENCH_SLOWDOWN is read into the options', () => {
  assert.is(parseBenchOptions([], { GBFLEET_BENCH_SLOWDOWN: '1.3' }, '/').slowdown, 1.3);
  assert.is(parseBenchOptions([], { GBFLEET_BENCH_SLOWDOWN: '' }, '/').slowdown, 1);
});

test('hostile input: each problem names the flag, the value and what is allowed', () => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [
      ['--suite', 'fast'],
      {},
      /--suite "fast": "fast" is not a suite; use one of micro, targeted, whole-run, soak, all, engine/,
    ],
    [['--suite', 'micro,,pool'], {}, /"" is not a suite/],
    [['--suite', ''], {}, /"" is not a suite/],
    [['--json', ''], {}, /--json needs a file name, got ""/],
    [['--json'], {}, /--json/],
    [['--threads', '4'], {}, /Unknown option '--threads'/],
    [['extra'], {}, /extra/],
    [
      [],
      { GBFLEET_BENCH_SLOWDOWN: 'abc' },
      /GBFLEET_BENCH_SLOWDOWN="abc" is not a slowdown factor: use a number from 1 to 10/,
    ],
    [[], { GBFLEET_BENCH_SLOWDOWN: '0.5' }, /GBFLEET_BENCH_SLOWDOWN="0.5" is not a slowdown factor/],
    [[], { GBFLEET_BENCH_SLOWDOWN: '11' }, /"11" is not a slowdown factor/],
    [[], { GBFLEET_BENCH_SLOWDOWN: 'Infinity' }, /"Infinity" is not a slowdown factor/],
  ];
  for (const [argv, env, message] of cases) {
    try {
      parseBenchOptions(argv, env, '/');
      assert.unreachable(`${argv.join(' ')} ${JSON.stringify(env)} was accepted`);
    } catch (error) {
      assert.instance(error, BenchUsageError, argv.join(' '));
      assert.match((error as Error).message, message);
    }
  }
});

test.run();
