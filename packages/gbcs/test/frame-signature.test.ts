/**
 * The signature check's decision on high-s (docs/frame-format.md, "ECDSA: high-s accepted"):
 * verification is FIPS 186-4 ECDSA, which accepts s and its twin n − s alike, because DCC's
 * own reference signatures use both halves and a low-s rule would reject DCC's messages.
 */
import type { KeyObject } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type DecodedFrame, decodeFrame, verifyFrameSignature } from '../src/index.ts';
import { rtdsKeystore, rtdsMessages } from './helpers/rtds.ts';

/** The order n of P-256. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function scalar(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function writeScalar(out: Uint8Array, v: bigint): void {
  for (let i = out.length - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
}

/** Signed reference messages with the originator's DS key (HAN-only PPMID messages have none). */
function signedFixtures(): { name: string; bytes: Uint8Array; frame: DecodedFrame; key: KeyObject }[] {
  const keystore = rtdsKeystore();
  const out = [];
  for (const m of rtdsMessages()) {
    if (m.folder.startsWith('NA_PCS')) continue;
    const bytes = m.bytes.slice(); // a copy: the tests below rewrite s in place
    const r = decodeFrame(bytes);
    if (!r.ok || !r.frame.signature) continue;
    const key = keystore.publicKey(r.frame.originator, 'ds');
    if (!key) throw new Error(`${m.name}: no DS certificate for its originator`);
    out.push({ name: m.name, bytes, frame: r.frame, key });
  }
  return out;
}

test("DCC's reference signatures use both halves of s: a low-s rule would reject DCC's own messages", () => {
  let high = 0;
  let low = 0;
  for (const { name, frame, key } of signedFixtures()) {
    const s = scalar((frame.signature as Uint8Array).subarray(32));
    if (s > N >> 1n) high++;
    else low++;
    assert.ok(verifyFrameSignature(frame, key), name);
  }
  // 120 high-s and 135 low-s in the 255 signed messages here.
  assert.ok(high > 50 && low > 50, `high-s ${high}, low-s ${low}`);
});

test('the n − s twin of every reference signature verifies too (FIPS 186-4 takes any s in [1, n − 1])', () => {
  for (const { name, frame, key } of signedFixtures()) {
    const sBytes = (frame.signature as Uint8Array).subarray(32);
    const s = scalar(sBytes);
    writeScalar(sBytes, N - s);
    assert.ok(verifyFrameSignature(frame, key), `${name}: the twin`);
    // Out of range or simply wrong still fails: the check is not loosened beyond FIPS 186-4.
    writeScalar(sBytes, N);
    assert.not.ok(verifyFrameSignature(frame, key), `${name}: s = n`);
    writeScalar(sBytes, N - s + 1n);
    assert.not.ok(verifyFrameSignature(frame, key), `${name}: n − s + 1`);
    writeScalar(sBytes, s);
  }
});

test.run();
