/**
 * Every DCC RTDS reference message: decodes; re-encodes byte for byte; every signature verifies
 * with the originator's DS certificate; every MAC verifies with the right ECDH secret
 * (commands: ACB KA ↔ device KA; responses and alerts: device KA ↔ recipient KA).
 */
import type { KeyObject } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bytesToHex,
  decodeFrame,
  encodeApdu,
  encodeMacWrapped,
  verifyFrameMac,
  verifyFrameSignature,
} from '../src/index.ts';
import { ACB_EUI, rtdsKeystore, rtdsMessages } from './helpers/rtds.ts';

const HAN_ONLY = /^NA_PCS/;

test('the fixture set is there and sizeable', () => {
  assert.ok(rtdsMessages().length >= 600, `only ${rtdsMessages().length} messages found`);
});

test('every message decodes, with the CRA its file name says', () => {
  const craOf = { COMMAND: 1, PRECOMMAND: 1, RESPONSE: 2, ALERT: 3 } as const;
  for (const m of rtdsMessages()) {
    const result = decodeFrame(m.bytes);
    if (!result.ok) {
      assert.unreachable(`${m.folder}/${m.name}: ${result.code} ${result.detail}: ${result.message}`);
      continue;
    }
    assert.is(result.frame.cra, craOf[m.kind], `${m.name}: CRA`);
    if (m.kind === 'PRECOMMAND')
      assert.is(result.frame.macWrapped, false, `${m.name}: a pre-command is not MAC-wrapped`);
  }
});

test('every message re-encodes byte for byte from its decoded fields', () => {
  for (const m of rtdsMessages()) {
    const result = decodeFrame(m.bytes);
    if (!result.ok) throw new Error(result.message);
    const f = result.frame;
    const apdu = encodeApdu(f, f.signature ?? (f.signatureLengthAbsent ? 'absent' : 'empty'));
    const bytes = f.mac ? encodeMacWrapped(apdu, f.mac) : apdu;
    assert.is(bytesToHex(bytes), bytesToHex(m.bytes), `${m.folder}/${m.name}`);
  }
});

test('every signature verifies with the originator DS certificate', () => {
  const keystore = rtdsKeystore();
  let signed = 0;
  let verified = 0;
  for (const m of rtdsMessages()) {
    const result = decodeFrame(m.bytes);
    if (!result.ok || !result.frame.signature || HAN_ONLY.test(m.folder)) continue;
    signed++;
    const key = keystore.publicKey(result.frame.originator, 'ds');
    if (!key) assert.unreachable(`${m.folder}/${m.name}: no DS certificate for its originator`);
    assert.ok(verifyFrameSignature(result.frame, key as KeyObject), `${m.folder}/${m.name}: signature does not verify`);
    verified++;
  }
  assert.ok(signed > 100, `only ${signed} signed messages`);
  assert.is(verified, signed);
  // A flipped bit in the signed region must fail.
  const sample = rtdsMessages().find((m) => m.kind === 'COMMAND' && decodeFrame(m.bytes).ok);
  if (!sample) throw new Error('no command');
  const decoded = decodeFrame(sample.bytes.slice()); // a copy: the frame views its input
  if (!decoded.ok || !decoded.frame.signature) return;
  decoded.frame.signedRegion[20] = (decoded.frame.signedRegion[20] as number) ^ 1;
  const key = keystore.publicKey(decoded.frame.originator, 'ds');
  if (key) assert.not.ok(verifyFrameSignature(decoded.frame, key));
});

test('every MAC verifies with the right ECDH secret', () => {
  const keystore = rtdsKeystore();
  let wrapped = 0;
  let verified = 0;
  const unverifiable: string[] = [];
  for (const m of rtdsMessages()) {
    const result = decodeFrame(m.bytes);
    // HAN-only PPMID messages are device-to-device: no DCC key checks them.
    if (!result.ok || !result.frame.macWrapped || HAN_ONLY.test(m.folder)) continue;
    wrapped++;
    const f = result.frame;
    const z =
      f.cra === 1
        ? keystore.sharedSecret(ACB_EUI, 'ka', f.recipient, 'ka')
        : keystore.sharedSecret(f.recipient, 'ka', f.originator, 'ka');
    if (!z) {
      unverifiable.push(`${m.folder}/${m.name}`);
      continue;
    }
    assert.ok(verifyFrameMac(f, z), `${m.folder}/${m.name}: MAC does not verify`);
    verified++;
  }
  assert.equal(unverifiable, [], 'messages whose MAC key is missing');
  assert.ok(wrapped > 200, `only ${wrapped} MAC-wrapped messages`);
  assert.is(verified, wrapped);
});

test.run();
