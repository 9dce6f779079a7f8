/**
 * checkCommand on DCC's reference critical commands, for the two canonical-encoding decisions
 * (docs/frame-format.md): a command's high-s twin is never news to the meter (the MAC covers the
 * signature, and the originator counter, not the bytes, says what is new); a longer spelling of
 * the General Ciphering length is refused as malformed.
 */
import type { KeyObject } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkCommand,
  type DecodedFrame,
  type DeviceCheckContext,
  decodeFrame,
  readBerLength,
  writeApduMac,
} from '../src/index.ts';
import { ACB_EUI, rtdsKeystore, rtdsMessages } from './helpers/rtds.ts';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const SUPPLIER = 0x90b3d51f30010000n;

/** One device (number 0) whose only trusted party is the supplier, in cell 0. */
function meterFor(frame: DecodedFrame): DeviceCheckContext {
  const keystore = rtdsKeystore();
  const ds = keystore.publicKey(SUPPLIER, 'ds') as KeyObject;
  const z = keystore.sharedSecret(ACB_EUI, 'ka', frame.recipient, 'ka') as Uint8Array;
  const counters = new Map<number, bigint>();
  return {
    deviceEui: () => frame.recipient,
    macSecret: () => z,
    trustedOriginator: (_device, originator) => (originator === SUPPLIER ? { dsPublicKey: ds, cell: 0 } : undefined),
    lastCounter: (_device, cell) => counters.get(cell) ?? 0n,
    setLastCounter: (_device, cell, counter) => void counters.set(cell, counter),
  };
}

/** The supplier's MAC-wrapped, signed commands in the reference set. */
function criticalCommands(): { name: string; bytes: Uint8Array; frame: DecodedFrame }[] {
  const out = [];
  for (const m of rtdsMessages()) {
    if (m.kind !== 'COMMAND') continue;
    const r = decodeFrame(m.bytes);
    if (!r.ok || !r.frame.macWrapped || !r.frame.signature || r.frame.originator !== SUPPLIER) continue;
    if (r.frame.supplementaryRemoteParty) continue;
    out.push({ name: m.name, bytes: m.bytes, frame: r.frame });
  }
  assert.ok(out.length > 20, `only ${out.length} supplier critical commands`);
  return out;
}

/** A copy of `bytes` with s → n − s; `remac` recomputes the MAC as only the ACB could. */
function highSTwin(bytes: Uint8Array, remac: boolean): Uint8Array {
  const twin = bytes.slice();
  const r = decodeFrame(twin);
  if (!r.ok || !r.frame.signature || !r.frame.mac) throw new Error('not a signed, MAC-wrapped frame');
  const s = r.frame.signature.subarray(32);
  let v = 0n;
  for (const b of s) v = (v << 8n) | BigInt(b);
  v = N - v;
  for (let i = 31; i >= 0; i--, v >>= 8n) s[i] = Number(v & 0xffn);
  if (remac) {
    const z = rtdsKeystore().sharedSecret(ACB_EUI, 'ka', r.frame.recipient, 'ka') as Uint8Array;
    writeApduMac(r.frame.apdu, z, r.frame, r.frame.mac, 0);
  }
  return twin;
}

test('a reference critical command is accepted once; the same bytes again are a replay', () => {
  for (const { name, bytes, frame } of criticalCommands()) {
    const meter = meterFor(frame);
    assert.is(checkCommand(bytes, 0, meter).outcome, 'ACCEPTED', name);
    assert.is(checkCommand(bytes, 0, meter).outcome, 'GBCS_REPLAY', name);
  }
});

test('the high-s twin of a command fails its MAC: the MAC covers the signature, so no keyless party can make one', () => {
  for (const { name, bytes, frame } of criticalCommands()) {
    assert.is(checkCommand(highSTwin(bytes, false), 0, meterFor(frame)).outcome, 'GBCS_MAC_INVALID', name);
  }
});

test('a re-MACed high-s twin passes every check, and after the original it is a replay: the counter says what is new', () => {
  for (const { name, bytes, frame } of criticalCommands()) {
    const twin = highSTwin(bytes, true);
    // Alone it is a valid command: the signature check accepts high-s (DCC signs with both halves).
    assert.is(checkCommand(twin, 0, meterFor(frame)).outcome, 'ACCEPTED', `${name}: twin alone`);
    // After the original, it is not news, in either order.
    const meter = meterFor(frame);
    assert.is(checkCommand(bytes, 0, meter).outcome, 'ACCEPTED', name);
    assert.is(checkCommand(twin, 0, meter).outcome, 'GBCS_REPLAY', `${name}: twin after original`);
    const other = meterFor(frame);
    assert.is(checkCommand(twin, 0, other).outcome, 'ACCEPTED', name);
    assert.is(checkCommand(bytes, 0, other).outcome, 'GBCS_REPLAY', `${name}: original after twin`);
  }
});

test('a command whose General Ciphering length is spelt longer is malformed, even to a fresh meter', () => {
  for (const { name, bytes, frame } of criticalCommands()) {
    const len = readBerLength(bytes, 7);
    if (!len.ok) throw new Error(name);
    const longer = len.length < 0x80 ? [0x81, len.length] : len.length <= 0xff ? [0x82, 0x00, len.length] : null;
    if (!longer) continue;
    const twin = Uint8Array.from([...bytes.subarray(0, 7), ...longer, ...bytes.subarray(len.next)]);
    assert.is(checkCommand(twin, 0, meterFor(frame)).outcome, 'GBCS_MALFORMED', name);
  }
});

test.run();
