/**
 * The meter's acceptance rule (device-command-check.ts) for a whole batch of frames, with the
 * crypto done by a CryptoKernel in two calls rather than once a frame. A frame's MAC depends only
 * on its bytes and its device's Z, so every MAC is checked up front. A signature depends on who
 * sits in the trust-anchor cell, which an accepted command earlier in the batch may change (a
 * trust-anchor update), so it is verified up front against the batch's starting cells, and again
 * on the spot for a frame whose trusted party is no longer the one it was verified with. The
 * decisions themselves are taken frame by frame, in order, as `checkCommand` takes them: the same
 * outcomes, the same counters.
 */

import { type PackedBytes, packedCount, packedItem } from '../bytes/packed-bytes.js';
import type { CryptoKernel, KernelKeys } from '../crypto/crypto-kernel.js';
import { decodeFrame } from '../frames/decode-frame.js';
import type { DecodedFrame, DecodeResult } from '../frames/frame-types.js';
import { isCriticalCommand } from '../frames/message-codes.js';
import { OUTCOME_CODE } from './command-outcome.js';
import { type CommandCheck, type DeviceCheckContext, judged, type TrustedOriginator } from './device-command-check.js';

/** The kernel, and the trusted parties' DS public keys in it (TrustedOriginator.party indexes them). */
export interface BatchCheckCrypto {
  kernel: CryptoKernel;
  verifiers: KernelKeys;
}

const NO_PAYLOAD = new Uint8Array(0);
const UNCHECKED = 2;

export class CommandCheckBatch {
  readonly #frames: PackedBytes;
  readonly #devices: ArrayLike<number>;
  readonly #ctx: DeviceCheckContext;
  readonly #crypto: BatchCheckCrypto;
  readonly #decoded: DecodeResult[];
  /** Per frame: 1 MAC valid, 0 invalid, 2 not checked (the frame fails before its MAC). */
  readonly #macValid: Uint8Array;
  /** Per frame: the party its signature was verified with (−1: not verified) and the result. */
  readonly #signatureParty: Int32Array;
  readonly #signatureValid: Uint8Array;

  constructor(frames: PackedBytes, devices: ArrayLike<number>, ctx: DeviceCheckContext, crypto: BatchCheckCrypto) {
    const n = packedCount(frames);
    if (devices.length !== n) throw new RangeError(`${n} frames but ${devices.length} devices`);
    this.#frames = frames;
    this.#devices = devices;
    this.#ctx = ctx;
    this.#crypto = crypto;
    this.#decoded = new Array<DecodeResult>(n);
    this.#macValid = new Uint8Array(n).fill(UNCHECKED);
    this.#signatureParty = new Int32Array(n).fill(-1);
    this.#signatureValid = new Uint8Array(n);
    const macs: number[] = [];
    for (let i = 0; i < n; i++) {
      const decoded = decodeFrame(packedItem(frames, i));
      this.#decoded[i] = decoded;
      if (decoded.ok && this.#reachesMac(decoded.frame, devices[i] as number)) macs.push(i);
    }
    this.#checkMacs(macs);
    const signed: number[] = [];
    const parties: number[] = [];
    for (const i of macs) {
      const frame = (this.#decoded[i] as { frame: DecodedFrame }).frame;
      if (this.#macValid[i] !== 1 || !isCriticalCommand(frame.messageCode) || !frame.signature) continue;
      const party = this.#trusted(frame, devices[i] as number)?.party;
      if (party === undefined) continue;
      signed.push(i);
      parties.push(party);
    }
    this.#verify(signed, parties);
  }

  /** Frame i's check, in order: call for i = 0, 1, … as the meter receives them. */
  check(i: number): CommandCheck {
    const decoded = this.#decoded[i];
    if (!decoded) throw new RangeError(`frame ${i} is outside the batch`);
    if (!decoded.ok) {
      const outcome = decoded.code === 'GBCS_MALFORMED' ? 'GBCS_MALFORMED' : 'GBCS_UNSUPPORTED';
      return {
        outcome,
        code: OUTCOME_CODE[outcome],
        messageCode: 0,
        originatorCounter: 0n,
        cell: -1,
        payload: NO_PAYLOAD,
      };
    }
    const frame = decoded.frame;
    const device = this.#devices[i] as number;
    const ctx = this.#ctx;
    if (frame.cra !== 1 || !frame.macWrapped) return judged('GBCS_MALFORMED', frame);
    if (frame.recipient !== ctx.deviceEui(device)) return judged('GBCS_WRONG_DEVICE', frame);
    const trusted = this.#trusted(frame, device);
    if (!trusted) return judged('GBCS_UNKNOWN_PARTY', frame);
    if (this.#macValid[i] !== 1) return judged('GBCS_MAC_INVALID', frame);
    if (frame.originatorCounter <= ctx.lastCounter(device, trusted.cell)) return judged('GBCS_REPLAY', frame);
    if (isCriticalCommand(frame.messageCode) && !this.#signatureHolds(i, frame, trusted))
      return judged('GBCS_SIGNATURE_INVALID', frame);
    ctx.setLastCounter(device, trusted.cell, frame.originatorCounter);
    return judged('ACCEPTED', frame, trusted.cell, frame.payload);
  }

  #reachesMac(frame: DecodedFrame, device: number): boolean {
    return frame.cra === 1 && frame.macWrapped && frame.recipient === this.#ctx.deviceEui(device);
  }

  #trusted(frame: DecodedFrame, device: number): TrustedOriginator | undefined {
    // For ACB-originated commands the party whose authority counts is the supplementary remote party.
    const authority = frame.supplementaryRemoteParty?.eui ?? frame.originator;
    return this.#ctx.trustedOriginator(device, authority, frame.messageCode);
  }

  #offset(view: Uint8Array): number {
    return view.byteOffset - this.#frames.bytes.byteOffset;
  }

  #checkMacs(frames: number[]): void {
    const n = frames.length;
    if (n === 0) return;
    const apduStart = new Uint32Array(n);
    const apduEnd = new Uint32Array(n);
    const macAt = new Uint32Array(n);
    const zAt = new Uint32Array(n);
    const z = new Uint8Array(32 * n);
    const results = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const i = frames[k] as number;
      const frame = (this.#decoded[i] as { frame: DecodedFrame }).frame;
      apduStart[k] = this.#offset(frame.apdu);
      apduEnd[k] = apduStart[k] + frame.apdu.length;
      macAt[k] = this.#offset(frame.mac as Uint8Array);
      zAt[k] = 32 * k;
      z.set(this.#ctx.macSecret(this.#devices[i] as number), 32 * k);
    }
    this.#crypto.kernel.checkMacs(this.#frames.bytes, apduStart, apduEnd, z, zAt, this.#frames.bytes, macAt, results);
    for (let k = 0; k < n; k++) this.#macValid[frames[k] as number] = results[k] as number;
  }

  #verify(frames: number[], parties: number[]): void {
    const n = frames.length;
    if (n === 0) return;
    const key = Uint32Array.from(parties);
    const start = new Uint32Array(n);
    const end = new Uint32Array(n);
    const sigAt = new Uint32Array(n);
    const results = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const frame = (this.#decoded[frames[k] as number] as { frame: DecodedFrame }).frame;
      start[k] = this.#offset(frame.signedRegion);
      end[k] = start[k] + frame.signedRegion.length;
      sigAt[k] = this.#offset(frame.signature as Uint8Array);
    }
    const bytes = this.#frames.bytes;
    this.#crypto.kernel.verify(this.#crypto.verifiers, key, bytes, start, end, bytes, sigAt, results);
    for (let k = 0; k < n; k++) {
      const i = frames[k] as number;
      this.#signatureParty[i] = parties[k] as number;
      this.#signatureValid[i] = results[k] as number;
    }
  }

  #signatureHolds(i: number, frame: DecodedFrame, trusted: TrustedOriginator): boolean {
    if (!frame.signature) return false;
    if (trusted.party === undefined) throw new RangeError('a batch check needs the trusted party index');
    // The cell changed since the batch began: verify with the party trusted now.
    if (this.#signatureParty[i] !== trusted.party) this.#verify([i], [trusted.party]);
    return this.#signatureValid[i] === 1;
  }
}
