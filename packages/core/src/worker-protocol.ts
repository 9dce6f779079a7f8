/**
 * The one contract between the pool (main thread, `pool/`) and its workers (`worker/`): what a
 * worker is started with and the tasks and results that cross the thread boundary, as
 * discriminated unions tagged by `type`. Everything here survives structured clone; batches are
 * typed arrays whose buffers are transferred, never one message per task.
 */
import type { PackedBytes } from './bytes/packed-bytes.js';

/** One party that signs commands in the pool (its DS private scalar travels as hex once, at start). */
export interface SenderInit {
  eui: bigint;
  /** 64 hex digits: the DS private scalar. */
  dsScalarHex: string;
}

/** A party a meter trusts for critical commands: its DS public key as 65-byte SEC1 (04‖x‖y). */
export interface TrustedPartyInit {
  eui: bigint;
  dsPublicSec1: Uint8Array;
}

/** Given once to every worker (piscina `workerData`). */
export interface WorkerInit {
  seed: string;
  deviceCount: number;
  /** EUI of device i is `deviceEuiBase + i`. */
  deviceEuiBase: bigint;
  /** ACB: originator of every command's MAC. KA private scalar as hex (the ACB end of Z). */
  acb: { eui: bigint; kaScalarHex: string };
  senders: SenderInit[];
  trustedParties: TrustedPartyInit[];
  /** Per device: index into `trustedParties` of the party in the supplier cell (Uint16, shared). */
  supplierCell: SharedArrayBuffer;
  /** Per device: last accepted originator counter in the supplier cell (BigUint64, shared). */
  supplierCellCounter: SharedArrayBuffer;
  /** Device key material (Z and DS public per device), filled lazily by workers. */
  keyMaterial: SharedArrayBuffer;
  /** Per block of devices: 0 not derived, 2 derived (Int32, Atomics). */
  keyBlockState: SharedArrayBuffer;
  keyBlockSize: number;
}

/** Commands to build: sign with `senders[sender]`'s DS key (critical) and MAC as the ACB. */
export interface CommandBatch {
  device: Uint32Array;
  sender: Uint16Array;
  counter: BigUint64Array;
  messageCode: Uint16Array;
  /** 1 = critical (signed), 0 = non-critical (MAC only). */
  critical: Uint8Array;
  payload: PackedBytes;
}

/** Frames on their way to meters, one per device entry. */
export interface FrameBatch {
  device: Uint32Array;
  critical: Uint8Array;
  frames: PackedBytes;
}

/** Where in the run a task belongs, so a failure can say which shard and step. */
export interface TaskPlace {
  shard: number;
  step: number;
}

export type WorkerTask =
  | ({ type: 'derive-keys'; lo: number; hi: number } & TaskPlace)
  | ({ type: 'sign-commands'; batch: CommandBatch } & TaskPlace)
  | ({ type: 'verify-commands'; batch: FrameBatch } & TaskPlace)
  | ({ type: 'round-trip'; batch: CommandBatch } & TaskPlace);

export type WorkerResult =
  | { type: 'keys-derived'; devices: number }
  | { type: 'signed'; batch: FrameBatch }
  | { type: 'verified'; outcomes: Uint8Array }
  | { type: 'round-tripped'; outcomes: Uint8Array }
  | { type: 'failed'; code: string; message: string; shard: number; step: number };
