/**
 * Keypad attempts: slips encode and decode both ways, hostile numbers are refused with a message,
 * and a slip changes the typed digits exactly as it says.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyAttempt,
  checkAttempts,
  decodeAttempt,
  encodeAttempt,
  encodeSlip,
  MAX_KEYING_ATTEMPTS,
  type Slip,
  SlipKind,
} from '../src/index.ts';

const slipArb = fc.oneof(
  fc.record({ kind: fc.constant(SlipKind.Replace), position: fc.nat(127), delta: fc.integer({ min: 1, max: 9 }) }),
  fc.record({
    kind: fc.constantFrom(SlipKind.Swap, SlipKind.Omit, SlipKind.Double),
    position: fc.nat(127),
    delta: fc.constant(0),
  }),
) as fc.Arbitrary<Slip>;

test('attempts round-trip through their 32-bit encoding; 0 is typed exactly', () => {
  assert.equal(decodeAttempt(0), []);
  assert.is(encodeAttempt([]), 0);
  fc.assert(
    fc.property(fc.array(slipArb, { maxLength: 2 }), (slips) => {
      const n = encodeAttempt(slips);
      assert.ok(n >= 0 && n <= 0xffff_ffff);
      assert.equal(
        decodeAttempt(n),
        slips.map((slip) => ({ ...slip })),
      );
    }),
    { seed: 11, numRuns: 500 },
  );
});

test('hostile attempt numbers decode to null and are refused by checkAttempts', () => {
  for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, 0x0001, 0x7fff, 0x1_0000, 0xc000, 0x8800, 0x8000 | 0xa]) {
    assert.is(decodeAttempt(bad), null, String(bad));
  }
  // A replace slip needs a delta; the others must not have one.
  assert.is(decodeAttempt(0x8000), null);
  assert.is(decodeAttempt(0x9005), null);
  assert.throws(() => checkAttempts([0, 0x7fff]), /attempt 1: 32767 is not an encoded attempt/);
  assert.throws(() => checkAttempts(new Array(MAX_KEYING_ATTEMPTS + 1).fill(0)), /0 to 16 attempts/);
  assert.throws(() => encodeSlip({ kind: SlipKind.Replace, position: 3, delta: 0 }), /delta from 1 to 9/);
  assert.throws(() => encodeSlip({ kind: SlipKind.Swap, position: 128, delta: 0 }), /position 128/);
  assert.throws(() => encodeSlip({ kind: 7 as 0, position: 1, delta: 1 }), /slip kind 7/);
  assert.throws(
    () =>
      encodeAttempt([
        { kind: 0, position: 0, delta: 1 },
        { kind: 1, position: 0, delta: 0 },
        { kind: 2, position: 0, delta: 0 },
      ]),
    /at most 2 slips/,
  );
  assert.throws(() => applyAttempt('123', 0x7fff), /not an encoded keypad attempt/);
});

test('slips change the digits as they say', () => {
  const code = '01234567890123456789';
  const one = (slip: Slip) => applyAttempt(code, encodeAttempt([slip]));
  assert.is(one({ kind: SlipKind.Replace, position: 2, delta: 3 }), '01534567890123456789');
  assert.is(one({ kind: SlipKind.Replace, position: 9, delta: 1 }), '01234567800123456789');
  assert.is(one({ kind: SlipKind.Swap, position: 0, delta: 0 }), '10234567890123456789');
  assert.is(one({ kind: SlipKind.Omit, position: 19, delta: 0 }), '0123456789012345678');
  assert.is(one({ kind: SlipKind.Double, position: 0, delta: 0 }), '001234567890123456789');
  // Positions wrap around the code's length; two slips apply in order.
  assert.is(one({ kind: SlipKind.Replace, position: 22, delta: 1 }), '01334567890123456789');
  assert.is(
    applyAttempt(
      code,
      encodeAttempt([
        { kind: SlipKind.Omit, position: 0, delta: 0 },
        { kind: SlipKind.Replace, position: 0, delta: 5 },
      ]),
    ),
    '6234567890123456789',
  );
  assert.is(applyAttempt(code, 0), code);
});

test.run();
