/**
 * `CommandBatch`es, made and copied here only: a struct of typed arrays, one entry per command,
 * so a batch of hundreds crosses to a worker as a handful of transferred buffers. Both sides use
 * it: the engine and the pool build batches, a worker selects the WAN commands of one.
 */
import { type PackedBytes, PackedBytesBuilder, packedItem } from '@gbfleet/gbcs';
import type { CommandBatch } from './worker-protocol.js';

export interface CommandSpec {
  device: number;
  sender: number;
  counter: bigint;
  messageCode: number;
  critical: boolean;
  payload: Uint8Array;
  /** Party index of the key that signs in place of the sender's (a forgery). */
  signer?: number;
  /** FrameTamper bits (a forgery); default 0. */
  tamper?: number;
}

/** A batch of `n` commands, every column allocated: the one place a CommandBatch is made. */
function allocateCommandBatch(n: number): CommandBatch {
  return {
    device: new Uint32Array(n),
    sender: new Uint16Array(n),
    counter: new BigUint64Array(n),
    messageCode: new Uint16Array(n),
    critical: new Uint8Array(n),
    payload: { bytes: new Uint8Array(0), offsets: new Uint32Array(1) },
  };
}

export function buildCommandBatch(commands: readonly CommandSpec[]): CommandBatch {
  const batch = allocateCommandBatch(commands.length);
  const payloads = new PackedBytesBuilder();
  // Ordinary batches carry no forgery columns at all.
  if (commands.some((c) => c.signer !== undefined || (c.tamper ?? 0) !== 0)) {
    batch.forgery = { signer: new Uint16Array(commands.length), tamper: new Uint8Array(commands.length) };
  }
  const forgery = batch.forgery;
  commands.forEach((c, i) => {
    if (forgery) {
      forgery.signer[i] = c.signer === undefined ? 0 : c.signer + 1;
      forgery.tamper[i] = c.tamper ?? 0;
    }
    batch.device[i] = c.device;
    batch.sender[i] = c.sender;
    batch.counter[i] = c.counter;
    batch.messageCode[i] = c.messageCode;
    batch.critical[i] = c.critical ? 1 : 0;
    payloads.push(c.payload);
  });
  batch.payload = payloads.finish();
  return batch;
}

/** The commands at `positions`, in that order, as a new batch with its own buffers: the one copy. */
export function selectCommands(batch: CommandBatch, positions: ArrayLike<number>): CommandBatch {
  const n = positions.length;
  const out = allocateCommandBatch(n);
  const payloads = new PackedBytesBuilder();
  const forgery = batch.forgery;
  if (forgery) out.forgery = { signer: new Uint16Array(n), tamper: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const p = positions[i] as number;
    if (forgery && out.forgery) {
      out.forgery.signer[i] = forgery.signer[p] as number;
      out.forgery.tamper[i] = forgery.tamper[p] as number;
    }
    out.device[i] = batch.device[p] as number;
    out.sender[i] = batch.sender[p] as number;
    out.counter[i] = batch.counter[p] as bigint;
    out.messageCode[i] = batch.messageCode[p] as number;
    out.critical[i] = batch.critical[p] as number;
    payloads.push(packedItem(batch.payload, p));
  }
  out.payload = payloads.finish();
  return out;
}

export function commandBatchBuffers(batch: CommandBatch): ArrayBuffer[] {
  return uniqueBuffers([
    batch.device,
    batch.sender,
    batch.counter,
    batch.messageCode,
    batch.critical,
    ...packedViews(batch.payload),
    ...(batch.forgery ? [batch.forgery.signer, batch.forgery.tamper] : []),
  ]);
}

export function packedViews(packed: PackedBytes): ArrayBufferView[] {
  return [packed.bytes, packed.offsets];
}

/** The distinct plain ArrayBuffers behind some views (shared buffers are never transferred). */
export function uniqueBuffers(views: readonly ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) seen.add(v.buffer);
  }
  return [...seen];
}
