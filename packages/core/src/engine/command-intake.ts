/**
 * Where a plug-in's `send` lands: each CommandRequest is checked while the plug-in that sent it is
 * still on the stack (so a bad one fails there, naming it), given its originator counter, and
 * kept in the step's outbox until the DCC sees it. A segment keeps only commands to its own
 * meters: the others are the other segments' to simulate.
 */
import { checkAttempts, encodeServiceRequestPayload, InvalidArgumentError } from '@gbfleet/gbcs';
import type { FleetState } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import { ChannelCode } from '../run/run-records.js';
import type { PendingCommand } from './dcc-model.js';
import { clockCounter, issueUtrnCounter, StepSequences } from './originator-counter.js';
import type { CommandRequest } from './scenario-plugin.js';
import type { EnginePending } from './shard-delivery.js';

export class CommandIntake {
  readonly #fleet: FleetState;
  readonly #parties: PartyTable;
  readonly #owned: { lo: number; hi: number };
  readonly #shardMeters: number;
  readonly #sequences = new StepSequences();
  #outbox: PendingCommand[] = [];

  constructor(fleet: FleetState, parties: PartyTable, owned: { lo: number; hi: number }, shardMeters: number) {
    this.#fleet = fleet;
    this.#parties = parties;
    this.#owned = owned;
    this.#shardMeters = shardMeters;
  }

  /** A new step: sequence numbers start again. */
  startStep(): void {
    this.#sequences.clear();
  }

  /** Checks `command`, sent at `step`, gives it its counter and keeps it for the DCC. */
  send(command: CommandRequest, step: number): void {
    const pending = this.#pending(command, step);
    if (pending) this.#outbox.push(pending);
  }

  /** The commands sent since the last call, in the order they were sent. */
  takeSent(): PendingCommand[] {
    const sent = this.#outbox;
    this.#outbox = [];
    return sent;
  }

  /** Commands sent for the next step but not yet taken (a plug-in may send from afterStep), for a checkpoint. */
  waiting(): PendingCommand[] {
    return this.#outbox;
  }

  /** A resumed run: what was waiting when the checkpoint was taken. */
  restoreWaiting(waiting: PendingCommand[]): void {
    this.#outbox = waiting;
  }

  /** The command as the DCC sees it; undefined when its meter is another segment's. */
  #pending(command: CommandRequest, step: number): EnginePending | undefined {
    const meters = this.#fleet.meters;
    if (!(Number.isInteger(command.meter) && command.meter >= 0 && command.meter < meters)) {
      throw new InvalidArgumentError(`command for meter ${command.meter}: the fleet has meters 0..${meters - 1}`);
    }
    this.#parties.at(command.sender);
    if (command.counter !== undefined && !(command.counter > 0n && command.counter < 1n << 64n)) {
      throw new InvalidArgumentError(`originator counter ${command.counter} is not in 1..2^64-1`);
    }
    encodeServiceRequestPayload(command.kind, command.argument);
    const utrn = command.channel === 'utrn';
    if (command.utrn !== undefined && !utrn) {
      throw new InvalidArgumentError(`command for meter ${command.meter}: UTRN keying needs channel 'utrn'`);
    }
    if (command.utrn !== undefined) checkAttempts(command.utrn.attempts);
    // Checked like any other (a bad command fails in every segment), then left to its own segment.
    if (command.meter < this.#owned.lo || command.meter >= this.#owned.hi) return undefined;
    const sequence = this.#sequences.take(command.sender, Math.floor(command.meter / this.#shardMeters));
    const out: EnginePending = {
      sender: command.sender,
      meter: command.meter,
      kind: command.kind,
      argument: command.argument,
      channel: ChannelCode[command.channel ?? 'wan'],
      counter: utrn
        ? issueUtrnCounter(this.#fleet.columns.utrnIssued, command.meter, command.counter)
        : (command.counter ?? clockCounter(step, sequence)),
      sentAt: step,
      adtCounted: false,
    };
    if (command.utrn !== undefined) out.utrnAttempts = [...command.utrn.attempts];
    return out;
  }
}
