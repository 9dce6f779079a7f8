/**
 * The sender's and the meter's side of a batch of commands, in a worker: each command signed
 * (when critical) and MAC'd into a frame, then each frame checked as its meter would.
 */
import { checkCommand, encodeFrameInto, frameSize, PackedBytesBuilder, packedItem } from '@gbfleet/gbcs';
import type { CommandBatch, FrameBatch } from '../worker-protocol.js';
import { deviceMacSecret, type WorkerState } from './worker-state.js';

const NO_BYTES = new Uint8Array(0);

export function signCommands(state: WorkerState, batch: CommandBatch): FrameBatch {
  const n = batch.device.length;
  const frames = new PackedBytesBuilder(n * 256);
  let buffer = frames.bytes;
  let view = new DataView(buffer.buffer);
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    const sender = state.senders[batch.sender[i] as number];
    if (!sender) throw new RangeError(`command ${i}: sender index ${batch.sender[i]} is not a known sender`);
    const fields = {
      cra: 1 as const,
      originatorCounter: batch.counter[i] as bigint,
      originator: sender.eui,
      recipient: state.init.deviceEuiBase + BigInt(device),
      dateTime: null,
      messageCode: batch.messageCode[i] as number,
      supplementaryRemoteParty: null,
      extraOtherInformation: NO_BYTES,
      payload: packedItem(batch.payload, i),
    };
    const keys =
      batch.critical[i] === 1
        ? { macSecret: deviceMacSecret(state, device), signingKey: sender.dsKey }
        : { macSecret: deviceMacSecret(state, device) };
    // Encoded in place in the batch buffer: no buffer per frame.
    const at = frames.claim(frameSize(fields, keys));
    if (frames.bytes !== buffer) {
      buffer = frames.bytes;
      view = new DataView(buffer.buffer);
    }
    encodeFrameInto(buffer, view, at, fields, keys);
  }
  return { device: batch.device, critical: batch.critical, frames: frames.finish() };
}

export function verifyCommands(state: WorkerState, batch: FrameBatch): Uint8Array {
  const n = batch.device.length;
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const device = batch.device[i] as number;
    if (device >= state.init.deviceCount) throw new RangeError(`frame ${i}: device ${device} is outside the fleet`);
    const check = checkCommand(packedItem(batch.frames, i), device, state.checkContext);
    outcomes[i] = check.code;
  }
  return outcomes;
}
