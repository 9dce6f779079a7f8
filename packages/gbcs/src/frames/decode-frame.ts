/**
 * Decodes a GBCS frame: MAC-wrapped (DD 00…00, length, 11 00000000, APDU, MAC) or a bare
 * General Signing APDU (DF …). Never throws on hostile bytes: every read is bounds-checked
 * and a problem comes back as a typed rejection naming the byte offset. Views, not copies.
 */
import { type BerRead, readBerLength } from './ber-length.js';
import type { Cra, DecodedFrame, DecodeResult, FrameRejection, FrameRejectionDetail } from './frame-types.js';

const GENERAL_CIPHERING_TAG = 0xdd;
const GENERAL_SIGNING_TAG = 0xdf;
const SECURITY_HEADER = [0x11, 0x00, 0x00, 0x00, 0x00] as const;
const MAC_LENGTH = 12;
const SIGNATURE_LENGTH = 64;
const DATE_TIME_LENGTH = 12;
/** message code (2) + supplementary remote party EUI (8) + its counter (8). */
const OTHER_INFO_WITH_PARTY = 18;

function reject(detail: FrameRejectionDetail, offset: number, message: string): FrameRejection {
  return { ok: false, code: 'GBCS_MALFORMED', detail, message: `${message} (at byte ${offset})`, offset };
}

export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return reject('empty', 0, 'the frame is empty');
  const tag = bytes[0];
  if (tag === GENERAL_SIGNING_TAG) return decodeApdu(bytes, 0, bytes.length, null);
  if (tag !== GENERAL_CIPHERING_TAG) {
    return reject('bad-tag', 0, `expected DD (MAC wrapper) or DF (signing APDU), found ${hexByte(tag as number)}`);
  }
  if (bytes.length < 2) return reject('truncated', 1, 'the frame ends inside the General Ciphering header');
  if (bytes[1] !== 0x00) {
    return {
      ok: false,
      code: 'GBCS_UNSUPPORTED_BLOCK_TRANSFER',
      detail: 'block-transfer',
      message: `DD ${hexByte(bytes[1] as number)} is a GBT block transfer, which gbfleet does not support (at byte 1)`,
      offset: 1,
    };
  }
  // DD followed by 6 zero bytes (transaction id / originator / recipient / date / other info, all empty).
  for (let i = 1; i < 7; i++) {
    if (i >= bytes.length) return reject('truncated', i, 'the frame ends inside the General Ciphering header');
    if (bytes[i] !== 0x00)
      return reject('bad-tag', i, `expected 00 in the General Ciphering header, found ${hexByte(bytes[i] as number)}`);
  }
  const len = readBerLength(bytes, 7);
  if (!len.ok) return berRejection(len, 'the ciphered content length');
  // The BER length covers everything after it: security header, APDU and the 12-byte MAC.
  const contentStart = len.next;
  const contentEnd = contentStart + len.length;
  if (contentEnd > bytes.length) {
    return reject(
      'truncated',
      bytes.length,
      `the length says ${len.length} bytes follow, but the frame ends after ${bytes.length - contentStart}`,
    );
  }
  if (contentEnd < bytes.length) {
    return reject('trailing-bytes', contentEnd, `${bytes.length - contentEnd} bytes follow the MAC`);
  }
  if (len.length < SECURITY_HEADER.length + 1 + MAC_LENGTH) {
    return reject(
      'length-mismatch',
      7,
      'the ciphered content is too short to hold a security header, an APDU and a MAC',
    );
  }
  for (let i = 0; i < SECURITY_HEADER.length; i++) {
    if (bytes[contentStart + i] !== SECURITY_HEADER[i]) {
      return reject('bad-security-header', contentStart + i, 'the security header is not 11 00 00 00 00');
    }
  }
  const apduStart = contentStart + SECURITY_HEADER.length;
  if (bytes[apduStart] !== GENERAL_SIGNING_TAG) {
    return reject(
      'bad-tag',
      apduStart,
      `expected DF (signing APDU) after the security header, found ${hexByte(bytes[apduStart] as number)}`,
    );
  }
  const macStart = contentEnd - MAC_LENGTH;
  return decodeApdu(bytes, apduStart, macStart, bytes.subarray(macStart, contentEnd));
}

function decodeApdu(bytes: Uint8Array, start: number, end: number, mac: Uint8Array | null): DecodeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start + 1;
  let problem = need(at, 10, end, 'transaction id');
  if (problem) return problem;
  if (bytes[at] !== 0x09)
    return reject(
      'bad-transaction-id',
      at,
      `the transaction id must be 9 bytes (09), found ${hexByte(bytes[at] as number)}`,
    );
  const cra = bytes[at + 1] as number;
  if (cra < 1 || cra > 3)
    return reject('bad-cra', at + 1, `CRA flag ${hexByte(cra)} is not 01 command, 02 response or 03 alert`);
  const originatorCounter = view.getBigUint64(at + 2);
  at += 10;

  problem = need(at, 9, end, 'originator system title');
  if (problem) return problem;
  if (bytes[at] !== 0x08)
    return reject(
      'bad-length',
      at,
      `the originator system title must be 8 bytes (08), found ${hexByte(bytes[at] as number)}`,
    );
  const originator = view.getBigUint64(at + 1);
  at += 9;

  problem = need(at, 9, end, 'recipient system title');
  if (problem) return problem;
  if (bytes[at] !== 0x08)
    return reject(
      'bad-length',
      at,
      `the recipient system title must be 8 bytes (08), found ${hexByte(bytes[at] as number)}`,
    );
  const recipient = view.getBigUint64(at + 1);
  at += 9;

  problem = need(at, 1, end, 'date-time');
  if (problem) return problem;
  let dateTime: Uint8Array | null = null;
  if (bytes[at] === DATE_TIME_LENGTH) {
    problem = need(at, 1 + DATE_TIME_LENGTH, end, 'date-time');
    if (problem) return problem;
    dateTime = bytes.subarray(at + 1, at + 1 + DATE_TIME_LENGTH);
    at += 1 + DATE_TIME_LENGTH;
  } else if (bytes[at] === 0x00) {
    at += 1;
  } else {
    return reject('bad-date-time', at, `the date-time length must be 00 or 0C, found ${hexByte(bytes[at] as number)}`);
  }

  const otherLen = readBerLength(bytes, at, end);
  if (!otherLen.ok) return berRejection(otherLen, 'the other-information length');
  at = otherLen.next;
  if (at + otherLen.length > end) return reject('truncated', at, 'the frame ends inside the other-information');
  if (otherLen.length < 2)
    return reject('bad-other-information', at, 'other-information must hold at least a 2-byte message code');
  const messageCode = view.getUint16(at);
  let supplementaryRemoteParty: DecodedFrame['supplementaryRemoteParty'] = null;
  let extraStart = at + 2;
  if (otherLen.length >= OTHER_INFO_WITH_PARTY) {
    supplementaryRemoteParty = { eui: view.getBigUint64(at + 2), counter: view.getBigUint64(at + 10) };
    extraStart = at + OTHER_INFO_WITH_PARTY;
  }
  const extraOtherInformation = bytes.subarray(extraStart, at + otherLen.length);
  at += otherLen.length;

  const payloadLen = readBerLength(bytes, at, end);
  if (!payloadLen.ok) return berRejection(payloadLen, 'the payload length');
  at = payloadLen.next;
  if (at + payloadLen.length > end)
    return reject('truncated', at, `the payload length says ${payloadLen.length} bytes, but the frame ends first`);
  const payload = bytes.subarray(at, at + payloadLen.length);
  at += payloadLen.length;
  const signedRegion = bytes.subarray(start + 1, at);

  let signature: Uint8Array | null = null;
  let signatureLengthAbsent = false;
  if (at === end) {
    // Pre-commands may stop right after the payload.
    signatureLengthAbsent = true;
  } else if (bytes[at] === 0x00) {
    at += 1;
  } else if (bytes[at] === SIGNATURE_LENGTH) {
    if (at + 1 + SIGNATURE_LENGTH > end)
      return reject('truncated', at + 1, 'the frame ends inside the 64-byte signature');
    signature = bytes.subarray(at + 1, at + 1 + SIGNATURE_LENGTH);
    at += 1 + SIGNATURE_LENGTH;
  } else {
    return reject(
      'bad-signature-length',
      at,
      `the signature length byte must be 00 or 40, found ${hexByte(bytes[at] as number)}`,
    );
  }
  if (at !== end) {
    return mac
      ? reject('length-mismatch', at, `the APDU ends ${end - at} bytes before the ciphered content length says`)
      : reject('trailing-bytes', at, `${end - at} bytes follow the signature`);
  }
  return {
    ok: true,
    frame: {
      cra: cra as Cra,
      originatorCounter,
      originator,
      recipient,
      dateTime,
      messageCode,
      supplementaryRemoteParty,
      extraOtherInformation,
      payload,
      macWrapped: mac !== null,
      signature,
      signatureLengthAbsent,
      mac,
      apdu: bytes.subarray(start, at),
      signedRegion,
    },
  };
}

function berRejection(read: Extract<BerRead, { ok: false }>, what: string): FrameRejection {
  return reject(
    read.detail,
    read.offset,
    read.detail === 'non-minimal-length'
      ? `${what} is not in its shortest BER form (a GBCS length has one spelling: below 80 one byte, then 81 nn, then 82 nn nn)`
      : `${what} is missing or not a BER length`,
  );
}

/** A rejection when fewer than `n` bytes remain at `at`, else null. */
function need(at: number, n: number, end: number, what: string): FrameRejection | null {
  return at + n > end ? reject('truncated', at, `the frame ends inside the ${what}`) : null;
}

function hexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
