/**
 * UTRN codec: DCC's test vector, round trips, check-digit error detection (property tests),
 * hostile text, and the meter's counter reconstruction around the 10-bit wrap.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  gbcsCheckDigit,
  generateUtrn,
  hasValidCheckDigit,
  parseUtrn,
  reconstructUtrnCounter,
  verifyUtrnMac,
} from '../src/index.ts';
import { rtdsKeystore } from './helpers/rtds.ts';

const SUPPLIER = 0x90b3d51f30010000n;
const DEVICE = 0x00db1234567890a0n;
const z = () => {
  const secret = rtdsKeystore().sharedSecret(SUPPLIER, 'pp-ka', DEVICE, 'ka');
  if (!secret) throw new Error('fixture keystore lacks the prepayment or device KA key');
  return secret;
};

test('DCC test vector: £100, counter 0x100000000 ⇒ PPTD 7394333345718904331', () => {
  const r = generateUtrn({
    sharedSecret: z(),
    supplier: SUPPLIER,
    device: DEVICE,
    counter: 0x1_0000_0000n,
    value: 100,
    valueClass: 'pounds',
  });
  assert.is(r.pptd, 7394333345718904331n);
  assert.is(r.utrn.length, 20);
  assert.is(r.utrn.slice(0, 19), '7394333345718904331');
  assert.ok(hasValidCheckDigit(r.utrn));
});

test('generate → parse → MAC round trip; wrong device, counter or digits fail', () => {
  const secret = z();
  for (const [value, valueClass, counter] of [
    [0, 'pennies', 0x1_0000_0000n],
    [8191, 'pounds', 0x3ff_0000_0000n],
    [2500, 'pennies', 0x400_0000_0000n],
  ] as const) {
    const r = generateUtrn({ sharedSecret: secret, supplier: SUPPLIER, device: DEVICE, counter, value, valueClass });
    const p = parseUtrn(r.utrn);
    if (!p.ok) throw new Error(p.message);
    assert.is(p.value, value);
    assert.is(p.valueClass, valueClass);
    assert.is(p.counterBits, Number((counter >> 32n) & 0x3ffn));
    assert.ok(verifyUtrnMac(p, { sharedSecret: secret, supplier: SUPPLIER, device: DEVICE, counter }));
    assert.not.ok(verifyUtrnMac(p, { sharedSecret: secret, supplier: SUPPLIER, device: DEVICE + 1n, counter }));
    assert.not.ok(
      verifyUtrnMac(p, { sharedSecret: secret, supplier: SUPPLIER, device: DEVICE, counter: counter + 0x1_0000_0000n }),
    );
  }
});

test('the check digit catches every single-digit error and adjacent transposition', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{19}$/), fc.nat(18), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
      const code = `${body}${gbcsCheckDigit(body)}`;
      assert.ok(hasValidCheckDigit(code));
      const digit = (Number(code[at]) + delta) % 10;
      const typo = `${code.slice(0, at)}${digit}${code.slice(at + 1)}`;
      assert.not.ok(hasValidCheckDigit(typo), `typo at ${at}: ${typo}`);
      if (code[at] !== code[at + 1]) {
        const swapped = `${code.slice(0, at)}${code[at + 1]}${code[at]}${code.slice(at + 2)}`;
        assert.not.ok(hasValidCheckDigit(swapped), `swap at ${at}: ${swapped}`);
      }
    }),
    { seed: 20261124, numRuns: 2000 },
  );
});

test('hostile text gives a typed rejection, never a throw', () => {
  for (const text of [
    '',
    'abc',
    '1234',
    '7'.repeat(21),
    '73943333457189043313x',
    '0'.repeat(20),
    '9'.repeat(20),
    '٧٣٩٤٣٣٣٣٤٥٧١٨٩٠٤٣٣١٣',
  ]) {
    const p = parseUtrn(text);
    assert.is(p.ok, false, text);
  }
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (text) => {
      const p = parseUtrn(text);
      assert.ok(p.ok || p.message.length > 0);
    }),
    { seed: 7, numRuns: 500 },
  );
  assert.is(gbcsCheckDigit('12a'), null);
});

test('bad fields are refused with the allowed range', () => {
  const base = {
    sharedSecret: new Uint8Array(32),
    supplier: SUPPLIER,
    device: DEVICE,
    counter: 0x1_0000_0000n,
    value: 1,
    valueClass: 'pounds' as const,
  };
  assert.throws(() => generateUtrn({ ...base, value: 8192 }), /0 to 8191/);
  assert.throws(() => generateUtrn({ ...base, counter: 0x1_0000_0001n }), /lower 32 bits/);
  assert.throws(() => generateUtrn({ ...base, valueClass: 'euros' as 'pounds' }), /pennies/);
});

test('counter reconstruction: nearest candidate within ±512, across the 10-bit wrap', () => {
  const step = (n: bigint) => n << 32n;
  assert.is(reconstructUtrnCounter(5, step(3n)), step(5n));
  assert.is(reconstructUtrnCounter(2, step(1022n)), step(1026n)); // wrapped forwards
  assert.is(reconstructUtrnCounter(1020, step(1026n)), step(1020n)); // a little behind
  assert.is(reconstructUtrnCounter(0, step(1000n)), step(1024n));
  assert.is(reconstructUtrnCounter(600, step(1n)), null); // 599 ahead: outside the window
});

test.run();
