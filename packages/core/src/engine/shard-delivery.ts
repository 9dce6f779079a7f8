/**
 * From the DCC's admitted commands to one batch per shard: grouped by the shard that owns each
 * meter (order kept, so a meter sees its commands in counter order), encoded as the typed arrays
 * a pool task carries, and recorded with their outcomes once the shard answers.
 */
import { encodeServiceRequestPayload, SERVICE_REQUESTS } from '@gbfleet/gbcs';
import { buildCommandBatch, type CommandSpec } from '../command-batch.js';
import type { CommandRecordBatchBuilder } from '../run/record-builders.js';
import { ChannelCode } from '../run/run-records.js';
import type { CommandBatch, UtrnKeyingBatch } from '../worker-protocol.js';
import type { PendingCommand } from './dcc-model.js';

/**
 * A pending command as the engine carries it: the consumer's keypad attempts when it is a UTRN
 * with explicit keying, and for a hostile party's command its route, forgery and attack label.
 */
export type EnginePending = PendingCommand & {
  utrnAttempts?: readonly number[];
  /** Put on the WAN or typed at the keypad past the DCC: no DCC check applies. */
  direct?: boolean;
  /** Party index of the key that signs in place of the sender's. */
  signer?: number;
  /** FrameTamper bits. */
  tamper?: number;
  /** Index into ATTACKS (0 or absent: an ordinary command). */
  attack?: number;
};

export function recordCommand(
  records: CommandRecordBatchBuilder,
  step: number,
  command: EnginePending,
  reason: number,
) {
  const def = SERVICE_REQUESTS[command.kind];
  records.push(
    step,
    command.sender,
    command.meter,
    command.kind,
    def?.messageCode ?? 0,
    command.channel,
    reason,
    command.attack ?? 0,
  );
}

/** One list per shard of `owned` (index 0 is its first shard), each in the order given. */
export function groupByShard(
  commands: readonly PendingCommand[],
  shardMeters: number,
  owned: { firstShard: number; shards: number },
): PendingCommand[][] {
  const out: PendingCommand[][] = Array.from({ length: owned.shards }, () => []);
  for (const command of commands) {
    (out[Math.floor(command.meter / shardMeters) - owned.firstShard] as PendingCommand[]).push(command);
  }
  return out;
}

export function commandBatchOf(commands: readonly EnginePending[]): {
  commands: CommandBatch;
  channel: Uint8Array;
  utrn?: UtrnKeyingBatch;
} {
  const batch = buildCommandBatch(
    commands.map((c) => {
      const def = SERVICE_REQUESTS[c.kind] as (typeof SERVICE_REQUESTS)[number];
      const spec: CommandSpec = {
        device: c.meter,
        sender: c.sender,
        counter: c.counter,
        messageCode: def.messageCode,
        critical: def.critical,
        payload: encodeServiceRequestPayload(c.kind, c.argument),
      };
      if (c.signer !== undefined) spec.signer = c.signer;
      if (c.tamper) spec.tamper = c.tamper;
      return spec;
    }),
  );
  const channel = Uint8Array.from(commands, (c) => c.channel);
  const utrn = utrnKeyingOf(commands);
  return utrn ? { commands: batch, channel, utrn } : { commands: batch, channel };
}

/** Keypad attempts per command when any UTRN has explicit keying (else the worker types each once). */
function utrnKeyingOf(commands: readonly EnginePending[]): UtrnKeyingBatch | undefined {
  if (!commands.some((c) => c.utrnAttempts !== undefined)) return undefined;
  const offsets = new Uint32Array(commands.length + 1);
  const attempts: number[] = [];
  commands.forEach((c, i) => {
    if (c.channel === ChannelCode.utrn) attempts.push(...(c.utrnAttempts ?? [0]));
    offsets[i + 1] = attempts.length;
  });
  return { offsets, attempts: Uint32Array.from(attempts) };
}
