import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const KEYSTORE = fileURLToPath(new URL('../../../../shared/fixtures/gbcs-rtds/keystore', import.meta.url));
const KEYS = ['--keystore', KEYSTORE, '--supplier', '90B3D51F30010000', '--device', '00DB1234567890A0'];

async function run(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

test('generate reproduces the DCC vector and check accepts it', async () => {
  const g = await run(['utrn', 'generate', ...KEYS, '--counter', '0x100000000', '--value', '100', '--class', 'pounds']);
  assert.is(g.code, 0, g.err);
  const utrn = g.out.trim();
  assert.match(utrn, /^7394333345718904331\d$/);
  const c = await run(['utrn', 'check', ...KEYS, '--json', utrn]);
  assert.is(c.code, 0, c.err);
  const report = JSON.parse(c.out);
  assert.equal(
    [report.valid, report.value, report.class, report.counterBits, report.counter],
    [true, 100, 'pounds', 1, '0x100000000'],
  );
  // A typo is caught by the check digit (exit 1, not 2).
  const typo = `${utrn.slice(0, 5)}${(Number(utrn[5]) + 1) % 10}${utrn.slice(6)}`;
  const t = await run(['utrn', 'check', ...KEYS, typo]);
  assert.is(t.code, 1);
  assert.match(t.out, /UTRN_CHECK_DIGIT/);
  // Another device's key: the MAC fails.
  const w = await run([
    'utrn',
    'check',
    '--keystore',
    KEYSTORE,
    '--supplier',
    '90B3D51F30010000',
    '--device',
    '00DB123456789001',
    utrn,
  ]);
  assert.is(w.code, 1);
  assert.match(w.out, /MAC invalid/);
});

test('hostile flags exit 2 naming the flag and what is allowed', async () => {
  const gen = ['utrn', 'generate', ...KEYS, '--counter', '0x100000000', '--value', '100', '--class', 'pounds'];
  const cases: Array<[string[], RegExp]> = [
    [gen.filter((_, i) => i < 4 || i > 5).slice(), /--supplier|--device|EUI/],
    [gen.map((a) => (a === '90B3D51F30010000' ? 'XYZ' : a)), /not an EUI-64/],
    [gen.map((a) => (a === '100' ? '9000' : a)), /0 to 8191/],
    [gen.map((a) => (a === 'pounds' ? 'euros' : a)), /"pounds" or "pennies"/],
    [gen.map((a) => (a === '0x100000000' ? '0x100000001' : a)), /lower 32 bits/],
    [['utrn', 'frobnicate'], /generate.+check/],
    [['utrn', 'check', ...KEYS], /exactly one UTRN/],
    [
      [
        'utrn',
        'generate',
        '--keystore',
        KEYSTORE,
        '--supplier',
        '90B3D51F30010001',
        '--device',
        '00DB1234567890A0',
        '--counter',
        '0x100000000',
        '--value',
        '1',
        '--class',
        'pounds',
      ],
      /90b3d51f30010001-pp-ka\.key/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, pattern);
  }
});

test('check validates its flags before the UTRN: a bad flag is named even with a bad UTRN', async () => {
  for (const [flags, pattern] of [
    [['--highest-counter', 'abc'], /--highest-counter "abc" is not a number/],
    [['--counter', 'abc'], /--counter "abc" is not a number/],
    [['--counter', '0x100000001'], /--counter 0x100000001: a UTRN counter has its lower 32 bits zero/],
    [['--counter', '0x100000000', '--highest-counter', '0x100000000'], /not both/],
  ] as Array<[string[], RegExp]>) {
    const r = await run(['utrn', 'check', ...KEYS, ...flags, '12345']);
    assert.is(r.code, 2, `${flags.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.err, pattern);
    assert.is(r.out, '', 'the UTRN is not judged');
  }
});

test.run();
