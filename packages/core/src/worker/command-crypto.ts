/**
 * The sender's and the meter's side of a batch of commands, in a worker: each command signed
 * (when critical) and MAC'd into a frame, then each frame checked as its meter would. A forged
 * command (hostile parties) is the same real frame, altered as its `forgery` says — another
 * signer, a MAC made without Z or changed in transit, another meter's frame — so that what
 * rejects it is the meter's own check, never a code written beside it.
 */
import { createHash } from 'node:crypto';
import { checkCommand, encodeFrameInto, frameSize, PackedBytesBuilder, packedItem } from '@gbfleet/gbcs';
import { type CommandBatch, type FrameBatch, FrameTamper } from '../worker-protocol.js';
import { deviceMacSecret, type WorkerState } from './worker-state.js';

const NO_BYTES = new Uint8Array(0);

export function signCommands(state: WorkerState, batch: CommandBatch): FrameBatch {
  const n = batch.device.length;
  // The Z of every recipient in one batch (one shared inversion), not one device at a time.
  state.macSecrets.prepare(madeForEach(state, batch));
  const frames = new PackedBytesBuilder(n * 256);
  let buffer = frames.bytes;
  let view = new DataView(buffer.buffer);
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    const sender = state.senders[batch.sender[i] as number];
    if (!sender) throw new RangeError(`command ${i}: sender index ${batch.sender[i]} is not a known sender`);
    const signedBy = batch.forgery?.signer[i] ?? 0;
    const signer = signedBy === 0 ? sender : state.senders[signedBy - 1];
    if (!signer) throw new RangeError(`command ${i}: signer index ${signedBy - 1} is not a known sender`);
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
    const macSecret =
      tamper & FrameTamper.MacUnknownKey
        ? unknownMacSecret(sender.eui, fields.recipient)
        : deviceMacSecret(state, madeFor);
    const keys = batch.critical[i] === 1 ? { macSecret, signingKey: signer.dsKey } : { macSecret };
    // Encoded in place in the batch buffer: no buffer per frame.
    const size = frameSize(fields, keys);
    const at = frames.claim(size);
    if (frames.bytes !== buffer) {
      buffer = frames.bytes;
      view = new DataView(buffer.buffer);
    }
    encodeFrameInto(buffer, view, at, fields, keys);
    // The MAC is the frame's last 12 bytes: flip the lowest bit of its last one.
    if (tamper & FrameTamper.MacFlipped) buffer[at + size - 1] = (buffer[at + size - 1] as number) ^ 1;
  }
  return { device: batch.device, critical: batch.critical, frames: frames.finish() };
}

export function verifyCommands(state: WorkerState, batch: FrameBatch): Uint8Array {
  const n = batch.device.length;
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    if (device >= state.init.deviceCount) throw new RangeError(`frame ${i}: device ${device} is outside the fleet`);
  }
  state.macSecrets.prepare(batch.device);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    const check = checkCommand(packedItem(batch.frames, i), device, state.checkContext);
    outcomes[i] = check.code;
  }
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
