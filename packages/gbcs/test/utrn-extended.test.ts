/**
 * Extended (40/60-digit) UTRN codes: every command of the set round-trips through generate →
 * parse → MAC; each block's check digit catches slips and blocks out of place; the MAC binds
 * device and counter; hostile text and hostile-but-check-digited values are typed rejections.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EXTENDED_UTRN_COMMANDS,
  type ExtendedUtrnCommandDef,
  extendedUtrnCommand,
  extendedUtrnMac,
  gbcsCheckDigit,
  generateExtendedUtrn,
  parseExtendedUtrn,
  prepaymentPublicKey,
  prepaymentSharedSecret,
  verifyExtendedUtrnMac,
} from '../src/index.ts';

const SEED = 'extended-utrn';
const SUPPLIER = 0x90b3_d51f_3000_0001n;
const DEVICE_INDEX = 42;
const DEVICE = 0x00db_2000_0000_0000n + BigInt(DEVICE_INDEX);
const Z = prepaymentSharedSecret(SEED, DEVICE_INDEX, prepaymentPublicKey(SEED, SUPPLIER));
const base = { sharedSecret: Z, supplier: SUPPLIER, device: DEVICE, counter: 7n << 32n };

/** Parameters at the edges of each field's range (and a middle value), valid for the command. */
function sampleParams(def: ExtendedUtrnCommandDef, pick: 'min' | 'max' | 'mid'): Record<string, number> {
  const params: Record<string, number> = {};
  for (const p of def.params) {
    params[p.name] = pick === 'min' ? p.min : pick === 'max' ? p.max : Math.trunc((p.min + p.max) / 2);
  }
  if (def.name === 'set-friendly-credit-times') {
    params.periods = pick === 'min' ? 1 : 3;
    if (pick === 'min') for (const k of [2, 3]) for (const f of ['days', 'from', 'to']) params[`${f}${k}`] = 0;
  }
  return params;
}

test('every command of the set round-trips at both ends of its parameter ranges', () => {
  assert.ok(EXTENDED_UTRN_COMMANDS.some((c) => c.digits === 40) && EXTENDED_UTRN_COMMANDS.some((c) => c.digits === 60));
  for (const def of EXTENDED_UTRN_COMMANDS) {
    for (const pick of ['min', 'max', 'mid'] as const) {
      const params = sampleParams(def, pick);
      for (const counter of [1n << 32n, 0x3ffn << 32n, 0x12345n << 32n]) {
        const made = generateExtendedUtrn({ ...base, counter, command: def.name, params });
        assert.is(made.utrn.length, def.digits, def.name);
        assert.match(made.utrn, /^\d+$/);
        const parsed = parseExtendedUtrn(made.utrn);
        if (!parsed.ok) throw new Error(`${def.name} ${pick}: ${parsed.message}`);
        assert.is(parsed.command.name, def.name);
        assert.equal(parsed.params, params);
        assert.is(parsed.counterBits, Number((counter >> 32n) & 0x3ffn));
        assert.ok(verifyExtendedUtrnMac(parsed, { ...base, counter }), `${def.name}: MAC`);
        assert.not.ok(verifyExtendedUtrnMac(parsed, { ...base, counter: counter + (1n << 32n) }), 'other counter');
        assert.not.ok(verifyExtendedUtrnMac(parsed, { ...base, device: DEVICE + 1n, counter }), 'other device');
      }
    }
  }
});

test('spaces and dashes are ignored, as for a 20-digit UTRN', () => {
  const made = generateExtendedUtrn({ ...base, command: 'set-emergency-credit', params: { limitPence: 2500 } });
  const spaced = made.utrn.replace(/(\d{5})(?=\d)/g, '$1 ').replace(/ (\d{5}) /, '-$1-');
  const parsed = parseExtendedUtrn(spaced);
  assert.ok(parsed.ok);
});

test('each block check digit catches every single-digit slip, adjacent swap and block out of place', () => {
  const codes = ['set-emergency-credit', 'set-friendly-credit-times'].map(
    (name) =>
      generateExtendedUtrn({ ...base, command: name, params: sampleParams(extendedUtrnCommand(name), 'mid') }).utrn,
  );
  for (const code of codes) {
    for (let at = 0; at < code.length; at++) {
      for (let delta = 1; delta <= 9; delta++) {
        const typo = `${code.slice(0, at)}${(Number(code[at]) + delta) % 10}${code.slice(at + 1)}`;
        const r = parseExtendedUtrn(typo);
        assert.is(r.ok, false, `slip at ${at}`);
        if (!r.ok) assert.is(r.code, 'UTRN_CHECK_DIGIT');
      }
      if (at + 1 < code.length && code[at] !== code[at + 1] && (at + 1) % 20 !== 0) {
        const swapped = `${code.slice(0, at)}${code[at + 1]}${code[at]}${code.slice(at + 2)}`;
        assert.is(parseExtendedUtrn(swapped).ok, false, `swap at ${at}`);
      }
    }
    const blocks = code.match(/\d{20}/g) as string[];
    const rotated = [...blocks.slice(1), blocks[0]].join('');
    const r = parseExtendedUtrn(rotated);
    assert.ok(!r.ok && r.code === 'UTRN_CHECK_DIGIT' && /out of place/.test(r.message));
  }
});

/** A code with valid check digits around any 38/57-digit value (to reach the structural checks). */
function withCheckDigits(value: bigint, digits: 40 | 60): string {
  const data = value.toString().padStart((digits / 20) * 19, '0');
  let out = '';
  for (let k = 0; k < digits / 20; k++) {
    const block = data.slice(19 * k, 19 * (k + 1));
    out += `${block}${gbcsCheckDigit(`${k + 1}${block}`)}`;
  }
  return out;
}

test('hostile text and check-digited garbage are typed rejections that say why, never throws', () => {
  for (const text of [
    '',
    'abc',
    '7'.repeat(20),
    '1'.repeat(39),
    '1'.repeat(41),
    '٣'.repeat(40),
    `${'1'.repeat(39)}x`,
  ]) {
    const r = parseExtendedUtrn(text);
    assert.ok(!r.ok && r.code === 'UTRN_MALFORMED' && /40 or 60 digits/.test(r.message), text);
  }
  assert.not.ok(parseExtendedUtrn(12 as unknown as string).ok);
  const ext = extendedUtrnCommand('set-emergency-credit');
  const header = (version: bigint, code: number, variant: number) =>
    (((((version << 10n) | 5n) << 16n) | BigInt(code)) << 4n) | BigInt(variant);
  const cases: Array<[bigint, 40 | 60, RegExp]> = [
    [10n ** 38n - 1n, 40, /not a version-1/],
    [header(2n, ext.messageCode, 0) << 94n, 40, /not a version-1/],
    [header(1n, 0x1234, 0) << 94n, 40, /no 40-digit command has message code 0x1234 variant 0/],
    [header(1n, ext.messageCode, 9) << 94n, 40, /variant 9/],
    // set-emergency-credit uses 24 of the 62 parameter bits: the rest must be zero.
    [((header(1n, ext.messageCode, 0) << 62n) | 1n) << 32n, 40, /unused parameter bits/],
    // set-non-disconnect: calendar 3 is not a calendar.
    [((header(1n, ext.messageCode, 1) << 62n) | (3n << 60n)) << 32n, 40, /calendar of set-non-disconnect is 3/],
    // set-friendly-credit-times with periods = 1 but a second period set.
    [
      ((header(1n, ext.messageCode, 2) << 125n) | (1n << 123n) | (1n << (123n - 17n - 7n))) << 32n,
      60,
      /period 2 is beyond periods = 1/,
    ],
  ];
  for (const [value, digits, pattern] of cases) {
    const r = parseExtendedUtrn(withCheckDigits(value, digits));
    assert.ok(!r.ok, String(pattern));
    if (!r.ok) {
      assert.is(r.code, 'UTRN_MALFORMED');
      assert.match(r.message, pattern);
    }
  }
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^\d{40}$/), fc.stringMatching(/^\d{60}$/)),
      (text) => {
        const r = parseExtendedUtrn(text);
        assert.ok(r.ok || r.message.length > 0);
      },
    ),
    { seed: 5, numRuns: 1000 },
  );
  // Random check-digited values mostly fail on structure; whatever parses has a well-formed command.
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 38n - 1n }), (v) => {
      const r = parseExtendedUtrn(withCheckDigits(v, 40));
      if (r.ok) assert.ok(EXTENDED_UTRN_COMMANDS.includes(r.command));
    }),
    { seed: 6, numRuns: 1000 },
  );
});

test('bad fields are refused with the field, the value and the range', () => {
  const gen = (command: string, params: Record<string, number>, counter = base.counter) =>
    generateExtendedUtrn({ ...base, counter, command, params });
  assert.throws(
    () => gen('set-emergency-credit', { limitPence: -1 }),
    /limitPence of set-emergency-credit is -1: use an integer from 0 to 16777215/,
  );
  assert.throws(() => gen('set-emergency-credit', { limitPence: 1.5 }), /limitPence/);
  assert.throws(() => gen('set-emergency-credit', {}), /limitPence of set-emergency-credit is undefined/);
  assert.throws(
    () => gen('set-emergency-credit', { limitPence: 1, extra: 2 }),
    /no parameter "extra"; it takes limitPence/,
  );
  assert.throws(() => gen('open-han', { joinMinutes: 0 }), /from 1 to 65535/);
  assert.throws(() => gen('set-credit', { balancePence: 2 ** 27 }), /-134217728 to 134217727/);
  assert.throws(
    () => gen('beam-me-up', {}),
    /"beam-me-up" is not an extended UTRN command; the commands are deduct-credit/,
  );
  assert.throws(() => gen('credit-mode', {}, 5n), /lower 32 bits are zero/);
  assert.throws(() => gen('credit-mode', {}, 0n), /positive/);
  // Negative values survive the two's complement field.
  const made = gen('set-credit', { balancePence: -12345 });
  const parsed = parseExtendedUtrn(made.utrn);
  assert.ok(parsed.ok && parsed.params.balancePence === -12345);
});

test('the MAC covers the digit count: the same body as a 60-digit code does not verify', () => {
  const made = generateExtendedUtrn({ ...base, command: 'credit-mode', params: {} });
  const parsed = parseExtendedUtrn(made.utrn);
  if (!parsed.ok) throw new Error(parsed.message);
  const as60 = extendedUtrnMac(Z, SUPPLIER, DEVICE, base.counter, 60, parsed.body);
  assert.is.not(as60, parsed.mac);
});

test.run();
