/**
 * The GBCS envelope's fields as gbfleet sees them (FRAME.md): the MAC wrapper (General
 * Ciphering), the General Signing APDU header, an opaque payload, an optional signature.
 * Decoding yields either a frame or a typed rejection — never an exception.
 */

/** CRA flag: 1 command, 2 response, 3 alert. */
export type Cra = 1 | 2 | 3;

export interface FrameFields {
  cra: Cra;
  originatorCounter: bigint;
  originator: bigint;
  recipient: bigint;
  /** 12-byte DLMS date-time, or null when absent. */
  dateTime: Uint8Array | null;
  messageCode: number;
  /** For commands sent by the ACB on a party's behalf: that party and its counter. */
  supplementaryRemoteParty: { eui: bigint; counter: bigint } | null;
  /** Any other-information bytes after the message code (and supplementary party). */
  extraOtherInformation: Uint8Array;
  payload: Uint8Array;
}

export interface DecodedFrame extends FrameFields {
  macWrapped: boolean;
  /** 64-byte raw r‖s, or null when the length byte is 00 or absent. */
  signature: Uint8Array | null;
  /** True when the frame ends right after the payload, with no signature-length byte (pre-commands). */
  signatureLengthAbsent: boolean;
  /** 12-byte MAC, or null when not MAC-wrapped. */
  mac: Uint8Array | null;
  /** The General Signing APDU from DF to the end of the signature (what the MAC covers). */
  apdu: Uint8Array;
  /** The bytes the signature covers: after DF to the end of the payload. */
  signedRegion: Uint8Array;
}

export type FrameRejectionCode = 'GBCS_MALFORMED' | 'GBCS_UNSUPPORTED_BLOCK_TRANSFER';

export type FrameRejectionDetail =
  | 'empty'
  | 'truncated'
  | 'bad-tag'
  | 'bad-length'
  | 'non-minimal-length'
  | 'length-mismatch'
  | 'bad-security-header'
  | 'bad-transaction-id'
  | 'bad-cra'
  | 'bad-date-time'
  | 'bad-other-information'
  | 'bad-signature-length'
  | 'trailing-bytes'
  | 'block-transfer';

export interface FrameRejection {
  ok: false;
  code: FrameRejectionCode;
  detail: FrameRejectionDetail;
  /** One sentence: what is wrong and where. */
  message: string;
  /** Byte offset where the problem was found. */
  offset: number;
}

export type DecodeResult = { ok: true; frame: DecodedFrame } | FrameRejection;
