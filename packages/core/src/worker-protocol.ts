/**
 * The one contract between the pool (main thread, `pool/`) and its workers (`worker/`): what a
 * worker is started with and the tasks and results that cross the thread boundary, as
 * discriminated unions tagged by `type`. Everything here survives structured clone; batches are
 * typed arrays whose buffers are transferred, never one message per task.
 */
import type { CryptoKernelName, MacSecretBuffers, PackedBytes } from '@gbfleet/gbcs';
import type { FleetParties } from './fleet/build-fleet.js';
import type { FleetBuffers } from './fleet/fleet-state.js';
import type { ConsumptionSpec } from './fleet/meter-consumption.js';
import type { TopUpRequests } from './run/record-builders.js';
import type { AlertBatch, MeterSnapshot, SupplyEventBatch, UtrnBatch } from './run/run-records.js';
import type { FleetSpec } from './scenario/scenario-spec.js';

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
  /** Per device: index into `trustedParties` of the party in the supplier cell (Uint8, shared). */
  supplierCell: SharedArrayBuffer;
  /** Per device: last accepted originator counter in the supplier cell (BigUint64, shared). */
  supplierCellCounter: SharedArrayBuffer;
  /** Each device's Z, derived by the first worker that needs it (MacSecretStore). */
  macSecrets: MacSecretBuffers;
  /** The crypto kernel every worker uses (the pool chooses it once). */
  crypto: CryptoKernelName;
  /** Native kernel: fixed-base tables for the trusted parties' keys (faster verifies, ~150 KB each). */
  fixedBaseVerify: boolean;
  /** Present in engine runs: the fleet (its cells replace `supplierCell`/`supplierCellCounter`). */
  fleet?: FleetBuffers;
  physics?: PhysicsInit;
}

/** Constants of meter physics for one run (engine runs only). */
export interface PhysicsInit {
  /** Key of the per-meter counter-based random draws (see meter-random.ts). */
  seedKey: number;
  /** Per party index: unit price, centipence per kWh, and standing charge, centipence per hour. */
  unitCpPerKwh: Float64Array;
  standingCpPerHour: Float64Array;
  lowCreditCp: number;
  topUpThresholdCp: number;
  topUpProbabilityPerHour: number;
  topUpMinPounds: number;
  topUpMaxPounds: number;
  /** Friendly (non-disablement) hours [from, to), wrapping past midnight when from > to. */
  friendlyFrom: number;
  friendlyTo: number;
  /** 24 factors averaging 1: how a day's consumption spreads over its hours. */
  dailyProfile: Float64Array;
  /** Each meter's mean daily consumption follows from these (meter-consumption.ts). */
  consumption: ConsumptionSpec;
}

/** One step of one shard: deliver its commands, then advance meter physics. */
export interface ShardStepTask {
  lo: number;
  hi: number;
  hourOfDay: number;
  /** Length of the step in hours. */
  hours: number;
  consumptionMultiplier: number;
  /** Commands for meters in [lo, hi), in delivery order. */
  commands: CommandBatch;
  /** Per command: 0 over the WAN (a real frame), 1 entered as a UTRN. */
  channel: Uint8Array;
  /** How consumers keyed the UTRN commands in; absent: each UTRN typed once, exactly. */
  utrn?: UtrnKeyingBatch;
}

/** Keypad attempts for a task's commands (@gbfleet/gbcs utrn/utrn-keying.ts encodes each attempt). */
export interface UtrnKeyingBatch {
  /** n + 1 offsets: command i's attempts are attempts[offsets[i] .. offsets[i + 1]); none = never typed in. */
  offsets: Uint32Array;
  /** One encoded attempt each; 0 = typed exactly. WAN commands have no attempts. */
  attempts: Uint32Array;
}

export interface ShardStepResult {
  /** Per command: COMMAND_OUTCOMES code. */
  outcomes: Uint8Array;
  alerts: AlertBatch;
  supply: SupplyEventBatch;
  topUps: TopUpRequests;
  /** One row per keypad entry of a UTRN (and per UTRN never typed in), in command order. */
  utrn?: UtrnBatch;
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
  /** Present when some command is forged (hostile parties); absent in ordinary batches. */
  forgery?: {
    /** Party index + 1 of the key that signs in place of the sender's; 0: the sender's own. */
    signer: Uint16Array;
    /** FrameTamper bits. */
    tamper: Uint8Array;
  };
}

/**
 * Bits of `CommandBatch.forgery.tamper`: how a hostile party alters a command's real frame
 * (CommandRequest.forgery). The meter's checks, not these bits, decide the outcome.
 */
export const FrameTamper = {
  /** One bit of the MAC flipped after the frame is made. */
  MacFlipped: 1,
  /** MAC made with a key that is not Z (the sender cannot reach the ACB). */
  MacUnknownKey: 2,
  /** Made for the neighbouring meter (its EUI, its Z) and sent to this one. */
  OtherRecipient: 4,
} as const;

/** Frames on their way to meters, one per device entry. */
export interface FrameBatch {
  device: Uint32Array;
  critical: Uint8Array;
  frames: PackedBytes;
}

/** Meters [lo, hi) to build into the shared fleet (build-fleet.ts `fillFleet`): engine runs only. */
export interface FleetBuildTask {
  spec: FleetSpec;
  seed: string;
  parties: FleetParties;
  lo: number;
  hi: number;
  /**
   * `meters` rows over shared memory (fleet-snapshot.ts `sharedSnapshot`) holding the range's,
   * which the worker fills as built.
   */
  snapshot?: MeterSnapshot;
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
  | ({ type: 'round-trip'; batch: CommandBatch } & TaskPlace)
  | { type: 'step-shard'; shard: number; step: number; task: ShardStepTask }
  | ({ type: 'build-fleet'; build: FleetBuildTask } & TaskPlace)
  /** A full GC of one worker's heap; `workers` such tasks in flight meet at `barrier` first. */
  | ({ type: 'collect-garbage'; barrier: SharedArrayBuffer; workers: number } & TaskPlace);

export type WorkerResult =
  | { type: 'keys-derived'; devices: number }
  | { type: 'signed'; batch: FrameBatch }
  | { type: 'verified'; outcomes: Uint8Array }
  | { type: 'round-tripped'; outcomes: Uint8Array }
  | { type: 'shard-stepped'; result: ShardStepResult }
  | { type: 'fleet-built'; meters: number }
  | { type: 'collected'; heapUsedBytes: number; threadId: number }
  | { type: 'failed'; code: string; message: string; shard: number; step: number };
