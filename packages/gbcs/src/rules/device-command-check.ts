/**
 * The meter's acceptance rule for a command, in FRAME.md's order: decodes and is for this
 * device → originator sits in the trust-anchor cell for its role → MAC → originator counter
 * strictly above the cell's last accepted → signature, when the message code is a critical one
 * (isCriticalCommand: the meter's own table, never a flag beside the frame). The counter is recorded only
 * when every check passes, so a rejected frame can never burn a counter.
 */
import type { KeyObject } from 'node:crypto';
import { decodeFrame } from '../frames/decode-frame.js';
import { verifyFrameMac } from '../frames/frame-mac.js';
import { verifyFrameSignature } from '../frames/frame-signature.js';
import type { DecodedFrame } from '../frames/frame-types.js';
import { isCriticalCommand } from '../frames/message-codes.js';
import { type CommandOutcome, OUTCOME_CODE } from './command-outcome.js';

/** What the check needs to know about one device; backed by shared typed arrays in workers. */
export interface DeviceCheckContext {
  /** The device's own EUI-64. */
  deviceEui(device: number): bigint;
  /** Z = ECDH(ACB KA, device KA), 32 bytes. */
  macSecret(device: number): Uint8Array;
  /**
   * The party in the trust-anchor cell that may send a command with this message code, if it is
   * `originator`.
   */
  trustedOriginator(device: number, originator: bigint, messageCode: number): TrustedOriginator | undefined;
  lastCounter(device: number, cell: number): bigint;
  setLastCounter(device: number, cell: number, counter: bigint): void;
}

export interface TrustedOriginator {
  dsPublicKey: KeyObject;
  cell: number;
  /** The party's index in the verifier table a batch check uses (CommandCheckBatch). */
  party?: number;
}

export interface CommandCheck {
  outcome: CommandOutcome;
  /** Numeric form of `outcome` (see OUTCOME_CODE). */
  code: number;
  messageCode: number;
  originatorCounter: bigint;
  /** The trust-anchor cell whose party vouched for the command (-1 when none did). */
  cell: number;
  /** The verified command payload (a view on the frame) when accepted, else empty. */
  payload: Uint8Array;
}

const NO_PAYLOAD = new Uint8Array(0);
const EMPTY = { messageCode: 0, originatorCounter: 0n, cell: -1, payload: NO_PAYLOAD };

export function checkCommand(bytes: Uint8Array, device: number, ctx: DeviceCheckContext): CommandCheck {
  const decoded = decodeFrame(bytes);
  if (!decoded.ok) {
    const outcome = decoded.code === 'GBCS_MALFORMED' ? 'GBCS_MALFORMED' : 'GBCS_UNSUPPORTED';
    return { outcome, code: OUTCOME_CODE[outcome], ...EMPTY };
  }
  const frame = decoded.frame;
  if (frame.cra !== 1 || !frame.macWrapped) return judged('GBCS_MALFORMED', frame);
  if (frame.recipient !== ctx.deviceEui(device)) return judged('GBCS_WRONG_DEVICE', frame);
  // For ACB-originated commands the party whose authority counts is the supplementary remote party.
  const authority = frame.supplementaryRemoteParty?.eui ?? frame.originator;
  const trusted = ctx.trustedOriginator(device, authority, frame.messageCode);
  if (!trusted) return judged('GBCS_UNKNOWN_PARTY', frame);
  if (!verifyFrameMac(frame, ctx.macSecret(device))) return judged('GBCS_MAC_INVALID', frame);
  if (frame.originatorCounter <= ctx.lastCounter(device, trusted.cell)) return judged('GBCS_REPLAY', frame);
  // Criticality comes from the message code the MAC just authenticated, as on a real device: an
  // unsigned frame with a critical code fails here, whatever the sender claims.
  if (isCriticalCommand(frame.messageCode) && !verifyFrameSignature(frame, trusted.dsPublicKey))
    return judged('GBCS_SIGNATURE_INVALID', frame);
  ctx.setLastCounter(device, trusted.cell, frame.originatorCounter);
  return judged('ACCEPTED', frame, trusted.cell, frame.payload);
}

export function judged(
  outcome: CommandOutcome,
  frame: DecodedFrame,
  cell = -1,
  payload: Uint8Array = NO_PAYLOAD,
): CommandCheck {
  return {
    outcome,
    code: OUTCOME_CODE[outcome],
    messageCode: frame.messageCode,
    originatorCounter: frame.originatorCounter,
    cell,
    payload,
  };
}
