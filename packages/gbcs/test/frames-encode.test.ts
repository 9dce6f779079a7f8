/**
 * Encoding in place (the pool's path) against encoding into a buffer of its own: same bytes,
 * nothing written outside the frame, and what comes out decodes, MAC-checks and verifies.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildFrame,
  decodeFrame,
  encodeFrameInto,
  type FrameFields,
  frameSize,
  verifyFrameMac,
  verifyFrameSignature,
} from '../src/index.ts';
import { privateKeyFromScalar, publicKeyFromSec1, publicSec1FromScalar } from '../src/smki/p256-keys.ts';

const fields: FrameFields = {
  cra: 1,
  originatorCounter: 0x1_0000_0042n,
  originator: 0x90b3d51f30010000n,
  recipient: 0x00db100000000123n,
  dateTime: null,
  messageCode: 0x001a,
  supplementaryRemoteParty: null,
  extraOtherInformation: new Uint8Array(0),
  payload: Uint8Array.of(1, 2, 3, 4, 5),
};
const z = new Uint8Array(32).map((_, i) => i * 7);
const scalar = 0x1234_5678_9abc_def0_1357_9bdf_2468_ace0n;

test('encodeFrameInto writes the bytes buildFrame returns, at the offset and nowhere else', () => {
  const keys = { macSecret: z };
  const own = buildFrame(fields, keys);
  assert.is(frameSize(fields, keys), own.length);
  const out = new Uint8Array(own.length + 10).fill(0xee);
  encodeFrameInto(out, new DataView(out.buffer), 4, fields, keys);
  assert.equal([...out.subarray(4, 4 + own.length)], [...own]);
  assert.ok(out.subarray(0, 4).every((b) => b === 0xee));
  assert.ok(out.subarray(4 + own.length).every((b) => b === 0xee));
});

test('a signed, MAC-wrapped frame encoded in place decodes, MAC-checks and verifies', () => {
  const keys = { macSecret: z, signingKey: privateKeyFromScalar(scalar) };
  const size = frameSize(fields, keys);
  const out = new Uint8Array(size + 3).fill(0xaa);
  encodeFrameInto(out, new DataView(out.buffer), 3, fields, keys);
  const decoded = decodeFrame(out.subarray(3));
  if (!decoded.ok) throw new Error(decoded.message);
  assert.is(decoded.frame.originatorCounter, fields.originatorCounter);
  assert.equal([...decoded.frame.payload], [...fields.payload]);
  assert.ok(verifyFrameMac(decoded.frame, z));
  assert.ok(verifyFrameSignature(decoded.frame, publicKeyFromSec1(publicSec1FromScalar(scalar))));
  assert.not.ok(verifyFrameMac(decoded.frame, new Uint8Array(32)));
});

test.run();
