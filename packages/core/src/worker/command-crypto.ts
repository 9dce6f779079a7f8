/**
 * The sender's and the meter's side of a batch of commands, in a worker: each command signed
 * (when critical) and MAC'd into a frame, then each frame checked as its meter would. A forged
 * command (hostile parties) is the same real frame, altered as its `forgery` says — another
 * signer, a MAC made without Z or changed in transit, another meter's frame — so that what
 * rejects it is the meter's own check, never a code written beside it.
 */
import { createHash } from 'node:crypto';
import {
  CommandCheckBatch,
  laidOutFrameSize,
  layoutFrameInto,
  MAC_LENGTH,
  PackedBytesBuilder,
  packedItem,
} from '@gbfleet/gbcs';
import { type CommandBatch, type FrameBatch, FrameTamper } from '../worker-protocol.js';
import { deviceMacSecret, type WorkerState } from './worker-state.js';

const NO_BYTES = new Uint8Array(0);
const SIGNED = { signed: true, macWrapped: true };
const UNSIGNED = { signed: false, macWrapped: true };

export function signCommands(state: WorkerState, batch: CommandBatch): FrameBatch {
  const n = batch.device.length;
  // The Z of every recipient in one batch (one shared inversion), not one device at a time.
  state.macSecrets.prepare(madeForEach(state, batch));
  const frames = new PackedBytesBuilder(n * 256);
  let buffer = frames.bytes;
  let view = new DataView(buffer.buffer);
  // Where the kernel signs and MACs: every frame is MAC'd, the critical ones signed first.
  const apduStart = new Uint32Array(n);
  const apduEnd = new Uint32Array(n);
  const macAt = new Uint32Array(n);
  const z = new Uint8Array(32 * n);
  const zAt = new Uint32Array(n);
  const signer: number[] = [];
  const signed: number[] = [];
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    const senderIndex = batch.sender[i] as number;
    const sender = state.senders[senderIndex];
    if (!sender) throw new RangeError(`command ${i}: sender index ${batch.sender[i]} is not a known sender`);
    const signedBy = batch.forgery?.signer[i] ?? 0;
    const signerIndex = signedBy === 0 ? senderIndex : signedBy - 1;
    if (!state.senders[signerIndex])
      throw new RangeError(`command ${i}: signer index ${signerIndex} is not a known sender`);
    const tamper = batch.forgery?.tamper[i] ?? 0;
    // A frame made for the neighbouring meter: its EUI and its Z, as it was captured.
    const madeFor = tamper & FrameTamper.OtherRecipient ? neighbourOf(device, state.init.deviceCount) : device;
    const fields = {
      cra: 1 as const,
      originatorCounter: batch.counter[i] as bigint,
      originator: sender.eui,
      recipient: state.init.deviceEuiBase + BigInt(madeFor),
      dateTime: null,
      messageCode: batch.messageCode[i] as number,
      supplementaryRemoteParty: null,
      extraOtherInformation: NO_BYTES,
      payload: packedItem(batch.payload, i),
    };
    const critical = batch.critical[i] === 1;
    const size = laidOutFrameSize(fields, critical ? SIGNED : UNSIGNED);
    const at = frames.claim(size);
    if (frames.bytes !== buffer) {
      buffer = frames.bytes;
      view = new DataView(buffer.buffer);
    }
    // Laid out in place in the batch buffer (no buffer per frame), signature and MAC left zero.
    const apdu = layoutFrameInto(buffer, view, at, fields, critical ? SIGNED : UNSIGNED);
    apduStart[i] = apdu;
    apduEnd[i] = at + size - MAC_LENGTH;
    macAt[i] = apduEnd[i] as number;
    zAt[i] = 32 * i;
    z.set(
      tamper & FrameTamper.MacUnknownKey
        ? unknownMacSecret(sender.eui, fields.recipient)
        : deviceMacSecret(state, madeFor),
      32 * i,
    );
    if (critical) {
      signer.push(signerIndex);
      signed.push(i);
    }
  }
  const packed = frames.finish();
  const bytes = packed.bytes;
  if (signed.length > 0) {
    // The signature covers the APDU after DF up to the signature-length byte; it fills the last 64.
    const start = new Uint32Array(signed.length);
    const end = new Uint32Array(signed.length);
    const outAt = new Uint32Array(signed.length);
    signed.forEach((i, k) => {
      start[k] = (apduStart[i] as number) + 1;
      end[k] = (apduEnd[i] as number) - 65;
      outAt[k] = (apduEnd[i] as number) - 64;
    });
    state.kernel.sign(state.signerKeys, Uint32Array.from(signer), bytes, start, end, bytes, outAt);
  }
  state.kernel.writeMacs(bytes, apduStart, apduEnd, z, zAt, bytes, macAt);
  for (let i = 0; i < n; i++) {
    // The MAC is the frame's last 12 bytes: flip the lowest bit of its last one.
    if ((batch.forgery?.tamper[i] ?? 0) & FrameTamper.MacFlipped) bytes[(macAt[i] as number) + 11] ^= 1;
  }
  return { device: batch.device, critical: batch.critical, frames: packed };
}

export function verifyCommands(state: WorkerState, batch: FrameBatch): Uint8Array {
  const n = batch.device.length;
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    if (device >= state.init.deviceCount) throw new RangeError(`frame ${i}: device ${device} is outside the fleet`);
  }
  state.macSecrets.prepare(batch.device);
  const checks = new CommandCheckBatch(batch.frames, batch.device, state.checkContext, state.checkCrypto);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) outcomes[i] = checks.check(i).code;
  return outcomes;
}

/** The device whose Z each command is MAC'd with: its own, or the neighbour's for a captured frame. */
function madeForEach(state: WorkerState, batch: CommandBatch): number[] {
  const out: number[] = [];
  for (let i = 0; i < batch.device.length; i++) {
    const device = batch.device[i] as number;
    const tamper = batch.forgery?.tamper[i] ?? 0;
    if (tamper & FrameTamper.MacUnknownKey) continue;
    out.push(tamper & FrameTamper.OtherRecipient ? neighbourOf(device, state.init.deviceCount) : device);
  }
  return out;
}

/** The meter a captured frame was really for: the next one (the previous one for the last meter). */
function neighbourOf(device: number, devices: number): number {
  return device + 1 < devices ? device + 1 : device - 1;
}

/**
 * The Z of someone who cannot reach the ACB: 32 bytes it made up (here, from its own EUI and the
 * recipient's), never the ACB–device secret the meter checks with.
 */
function unknownMacSecret(originator: bigint, recipient: bigint): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`no ACB key ${originator} ${recipient}`).digest());
}
