/**
 * Where a plug-in's `send` lands: each CommandRequest is checked while the plug-in that sent it is
 * still on the stack (so a bad one fails there, naming it), given its originator counter, and
 * kept in the step's outbox until the DCC sees it. A segment keeps only commands to its own
 * meters: the others are the other segments' to simulate.
 */
import { checkAttempts, encodeServiceRequestPayload, InvalidArgumentError } from '@gbfleet/gbcs';
import type { FleetState } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import { ATTACKS, AttackCode, ChannelCode } from '../run/run-records.js';
import { FrameTamper } from '../worker-protocol.js';
import { clockCounter, issueUtrnCounter, StepSequences, UTRN_COUNTER_SHIFT } from './originator-counter.js';
import type { CommandRequest } from './scenario-plugin.js';
import type { EnginePending } from './shard-delivery.js';

export class CommandIntake {
  readonly #fleet: FleetState;
  readonly #parties: PartyTable;
  readonly #owned: { lo: number; hi: number };
  readonly #shardMeters: number;
  readonly #sequences = new StepSequences();
  #outbox: EnginePending[] = [];

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
  takeSent(): EnginePending[] {
    const sent = this.#outbox;
    this.#outbox = [];
    return sent;
  }

  /** Commands sent for the next step but not yet taken (a plug-in may send from afterStep), for a checkpoint. */
  waiting(): EnginePending[] {
    return this.#outbox;
  }

  /** A resumed run: what was waiting when the checkpoint was taken. */
  restoreWaiting(waiting: EnginePending[]): void {
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
    const hostile = this.#hostileOf(command);
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
        ? hostile.direct && command.counter !== undefined
          ? command.counter
          : issueUtrnCounter(this.#fleet.columns.utrnIssued, command.meter, command.counter)
        : (command.counter ?? clockCounter(step, sequence)),
      sentAt: step,
      adtCounted: false,
    };
    if (command.utrn !== undefined) out.utrnAttempts = [...command.utrn.attempts];
    return Object.assign(out, hostile);
  }

  /** A hostile party's route, forgery and attack label, checked; {} for an ordinary command. */
  #hostileOf(command: CommandRequest): Pick<EnginePending, 'direct' | 'signer' | 'tamper' | 'attack'> {
    const out: Pick<EnginePending, 'direct' | 'signer' | 'tamper' | 'attack'> = {};
    const where = `command for meter ${command.meter}`;
    if (command.route !== undefined && command.route !== 'dcc') {
      if (command.route !== 'direct')
        throw new InvalidArgumentError(`${where}: route ${command.route} is not 'dcc' or 'direct'`);
      out.direct = true;
      // A code typed past the supplier's systems: its counter is checked here, never recorded as issued.
      const c = command.counter;
      if (command.channel === 'utrn' && c !== undefined && (c & ((1n << UTRN_COUNTER_SHIFT) - 1n)) !== 0n) {
        throw new InvalidArgumentError(`${where}: a UTRN counter has its lower 32 bits zero, got 0x${c.toString(16)}`);
      }
    }
    if (command.attack !== undefined && command.attack !== 'none') {
      const code = AttackCode[command.attack];
      if (code === undefined)
        throw new InvalidArgumentError(`${where}: attack ${command.attack} is not one of ${ATTACKS.join(', ')}`);
      out.attack = code;
    }
    const forgery = command.forgery;
    if (forgery === undefined) return out;
    if ((command.channel ?? 'wan') !== 'wan')
      throw new InvalidArgumentError(`${where}: only a WAN frame can be forged`);
    let tamper = 0;
    if (forgery.signer !== undefined) {
      this.#parties.at(forgery.signer);
      out.signer = forgery.signer;
    }
    if (forgery.mac !== undefined) {
      if (forgery.mac !== 'flipped' && forgery.mac !== 'unknown-key') {
        throw new InvalidArgumentError(`${where}: forgery.mac ${forgery.mac} is not 'flipped' or 'unknown-key'`);
      }
      tamper |= forgery.mac === 'flipped' ? FrameTamper.MacFlipped : FrameTamper.MacUnknownKey;
    }
    if (forgery.recipient !== undefined) {
      if (forgery.recipient !== 'other-meter') {
        throw new InvalidArgumentError(`${where}: forgery.recipient ${forgery.recipient} is not 'other-meter'`);
      }
      if (this.#fleet.meters < 2)
        throw new InvalidArgumentError(`${where}: another meter's frame needs a fleet of two`);
      tamper |= FrameTamper.OtherRecipient;
    }
    if (tamper !== 0) out.tamper = tamper;
    return out;
  }
}
