/**
 * Encodes GBCS frames: the General Signing APDU from its fields (sizes first, one buffer, so it
 * runs at pool speed), the MAC wrapper around it, and `buildFrame`, which signs and MACs exactly
 * as FRAME.md says. Decoding an encoded frame gives back the same fields, byte for byte.
 */
import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { berLengthSize, writeBerLength } from './ber-length.js';
import { MAC_LENGTH, writeApduMac } from './frame-mac.js';
import { signFrameApdu } from './frame-signature.js';
import type { FrameFields } from './frame-types.js';

const MAX_BER = 0xffff;

/** How the signature-length position is written: 64-byte signature, `00`, or nothing at all. */
export type SignatureSlot = Uint8Array | 'empty' | 'absent';

function otherInformationLength(fields: FrameFields): number {
  return 2 + (fields.supplementaryRemoteParty ? 16 : 0) + fields.extraOtherInformation.length;
}

function checkFields(fields: FrameFields): void {
  if (fields.dateTime && fields.dateTime.length !== 12) throw new InvalidArgumentError('dateTime must be 12 bytes');
  if (!(fields.messageCode >= 0 && fields.messageCode <= 0xffff)) {
    throw new InvalidArgumentError(`messageCode ${fields.messageCode} is not a 16-bit value`);
  }
  if (fields.payload.length > MAX_BER || otherInformationLength(fields) > MAX_BER) {
    throw new InvalidArgumentError('payload and other-information must each fit a 2-byte BER length (65,535 bytes)');
  }
}

/** Bytes the APDU of `fields` takes with this signature slot (fields checked). */
export function apduSize(fields: FrameFields, signature: SignatureSlot): number {
  checkFields(fields);
  if (signature instanceof Uint8Array && signature.length !== 64) {
    throw new InvalidArgumentError(`a signature is 64 bytes (raw r‖s), got ${signature.length}`);
  }
  const otherLen = otherInformationLength(fields);
  return (
    1 +
    10 +
    9 +
    9 +
    (fields.dateTime ? 13 : 1) +
    berLengthSize(otherLen) +
    otherLen +
    berLengthSize(fields.payload.length) +
    fields.payload.length +
    (signature instanceof Uint8Array ? 65 : signature === 'empty' ? 1 : 0)
  );
}

/** The General Signing APDU, in a buffer of its own. */
export function encodeApdu(fields: FrameFields, signature: SignatureSlot): Uint8Array {
  const out = new Uint8Array(apduSize(fields, signature));
  writeApdu(out, viewOf(out), 0, fields, signature);
  return out;
}

function viewOf(out: Uint8Array): DataView {
  return new DataView(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Writes the APDU at `start` of `out` (sized by `apduSize`); returns the offset after it.
 * `view` is a DataView on the same bytes as `out`, from the same offset.
 */
function writeApdu(
  out: Uint8Array,
  view: DataView,
  start: number,
  fields: FrameFields,
  signature: SignatureSlot,
): number {
  const otherLen = otherInformationLength(fields);
  let at = start;
  out[at++] = 0xdf;
  out[at++] = 0x09;
  out[at++] = fields.cra;
  view.setBigUint64(at, fields.originatorCounter);
  at += 8;
  out[at++] = 0x08;
  view.setBigUint64(at, fields.originator);
  at += 8;
  out[at++] = 0x08;
  view.setBigUint64(at, fields.recipient);
  at += 8;
  if (fields.dateTime) {
    out[at++] = 0x0c;
    out.set(fields.dateTime, at);
    at += 12;
  } else {
    out[at++] = 0x00;
  }
  at = writeBerLength(out, at, otherLen);
  view.setUint16(at, fields.messageCode);
  at += 2;
  if (fields.supplementaryRemoteParty) {
    view.setBigUint64(at, fields.supplementaryRemoteParty.eui);
    view.setBigUint64(at + 8, fields.supplementaryRemoteParty.counter);
    at += 16;
  }
  out.set(fields.extraOtherInformation, at);
  at += fields.extraOtherInformation.length;
  at = writeBerLength(out, at, fields.payload.length);
  out.set(fields.payload, at);
  at += fields.payload.length;
  if (signature instanceof Uint8Array) {
    out[at++] = 0x40;
    out.set(signature, at);
    at += 64;
  } else if (signature === 'empty') {
    out[at++] = 0x00;
  }
  return at;
}

/** DD 00 00 00 00 00 00 ‖ BER length ‖ 11 00000000 ‖ APDU ‖ MAC. */
export function encodeMacWrapped(apdu: Uint8Array, mac: Uint8Array): Uint8Array {
  if (mac.length !== MAC_LENGTH) throw new InvalidArgumentError(`a GBCS MAC is 12 bytes, got ${mac.length}`);
  // The BER length counts the security header, the APDU and the MAC.
  const contentLength = 5 + apdu.length + MAC_LENGTH;
  if (contentLength > MAX_BER) throw new InvalidArgumentError('the APDU is too long for a 2-byte BER length');
  const out = new Uint8Array(7 + berLengthSize(contentLength) + contentLength);
  out[0] = 0xdd;
  let at = writeBerLength(out, 7, contentLength);
  out[at] = 0x11;
  at += 5;
  out.set(apdu, at);
  out.set(mac, at + apdu.length);
  return out;
}

export interface BuildFrameKeys {
  /** The originator's DS private key: present ⇒ the frame is signed (critical). */
  signingKey?: KeyObject;
  /** Z (32 bytes) for the MAC: present ⇒ the frame is MAC-wrapped. */
  macSecret?: Uint8Array;
}

/** Bytes `encodeFrameInto` writes for these fields and keys (fields checked). */
export function frameSize(fields: FrameFields, keys: BuildFrameKeys): number {
  return laidOutFrameSize(fields, { signed: !!keys.signingKey, macWrapped: !!keys.macSecret });
}

/** Bytes `layoutFrameInto` writes for these fields and this shape (fields checked). */
export function laidOutFrameSize(fields: FrameFields, shape: { signed: boolean; macWrapped: boolean }): number {
  const size = apduSize(fields, shape.signed ? ZERO_SIGNATURE : 'empty');
  if (!shape.macWrapped) return size;
  const contentLength = 5 + size + MAC_LENGTH;
  if (contentLength > MAX_BER) throw new InvalidArgumentError('the APDU is too long for a 2-byte BER length');
  return 7 + berLengthSize(contentLength) + contentLength;
}

/**
 * A complete frame: signs the APDU when `signingKey` is given (signature length 40, else 00),
 * then MAC-wraps it when `macSecret` is given (else returns the bare APDU).
 */
export function buildFrame(fields: FrameFields, keys: BuildFrameKeys): Uint8Array {
  const frame = new Uint8Array(frameSize(fields, keys));
  encodeFrameInto(frame, viewOf(frame), 0, fields, keys);
  return frame;
}

/**
 * Writes the frame `buildFrame` returns into `out` at `at`, which has `frameSize` bytes free
 * there; `view` is a DataView on all of `out`. The pool encodes each command straight into its
 * batch buffer this way: a typed array of its own costs a frame ~1 µs to allocate and collect.
 */
export function encodeFrameInto(
  out: Uint8Array,
  view: DataView,
  at: number,
  fields: FrameFields,
  keys: BuildFrameKeys,
): void {
  const size = apduSize(fields, keys.signingKey ? ZERO_SIGNATURE : 'empty');
  const apduStart = layoutFrameInto(out, view, at, fields, { signed: !!keys.signingKey, macWrapped: !!keys.macSecret });
  const apdu = out.subarray(apduStart, apduStart + size);
  if (keys.signingKey) signInPlace(apdu, keys.signingKey);
  if (keys.macSecret) writeApduMac(apdu, keys.macSecret, fields, out, apduStart + size);
}

/**
 * Writes the frame of `encodeFrameInto` with its signature and MAC left zero, for a batch kernel
 * to fill (sizes as `frameSize` with the same shape); returns the offset of the APDU. The
 * signature is the APDU's last 64 bytes; the MAC, when wrapped, the 12 bytes after the APDU.
 */
export function layoutFrameInto(
  out: Uint8Array,
  view: DataView,
  at: number,
  fields: FrameFields,
  shape: { signed: boolean; macWrapped: boolean },
): number {
  const slot: SignatureSlot = shape.signed ? ZERO_SIGNATURE : 'empty';
  const size = apduSize(fields, slot);
  let apduStart = at;
  if (shape.macWrapped) {
    // DD 00 00 00 00 00 00 ‖ BER length ‖ 11 00000000 ‖ APDU ‖ MAC
    out.fill(0, at, at + 7);
    out[at] = 0xdd;
    apduStart = writeBerLength(out, at + 7, 5 + size + MAC_LENGTH) + 5;
    out.fill(0, apduStart - 5, apduStart);
    out[apduStart - 5] = 0x11;
    out.fill(0, apduStart + size, apduStart + size + MAC_LENGTH);
  }
  writeApdu(out, view, apduStart, fields, slot);
  return apduStart;
}

/** Signs the covered region (after DF, up to the signature length) and fills the signature in. */
function signInPlace(apdu: Uint8Array, key: KeyObject): void {
  const signedEnd = apdu.length - 65;
  apdu.set(signFrameApdu(apdu.subarray(1, signedEnd), key), signedEnd + 1);
}

const ZERO_SIGNATURE = new Uint8Array(64);
