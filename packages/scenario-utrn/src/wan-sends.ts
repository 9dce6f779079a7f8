/**
 * The plug-in's WAN messages: those sent this step, kept by (meter, kind) so a WAN_LOST record
 * finds the message it answers (the first of its kind to that meter this step), and the re-sends
 * due at later steps. The engine sends a step's commands in the order they were given, so
 * first-sent is first-answered.
 */
import type { RunContext } from '@gbfleet/core';
import type { Message } from './utrn-message.js';

/**
 * What a checkpoint keeps: the re-sends due. Not the messages sent: a checkpoint is taken after
 * a step's answers were read, and the next step forgets them before it sends anything.
 */
export interface WanSendsState {
  resends: Map<number, Message[]>;
}

/** Service request kinds are below 16: meter·16 + kind names one (meter, kind). */
const key = (meter: number, kind: number) => meter * 16 + kind;

export class WanSends {
  readonly #sent = new Map<number, Message[]>();
  readonly #resends = new Map<number, Message[]>();

  /** A new step: last step's messages have all been answered. */
  startStep(): void {
    this.#sent.clear();
  }

  send(run: RunContext, m: Message): void {
    run.send({ sender: m.supplier, meter: m.meter, kind: m.kind, argument: m.argument });
    pushAt(this.#sent, key(m.meter, m.kind), m);
  }

  /** The message a WAN_LOST record of (meter, kind) answers, taken off the list; undefined if none is ours. */
  lost(meter: number, kind: number): Message | undefined {
    return this.#sent.get(key(meter, kind))?.shift();
  }

  resendAt(step: number, m: Message): void {
    pushAt(this.#resends, step, m);
  }

  saveState(): WanSendsState {
    return { resends: new Map([...this.#resends].map(([step, list]) => [step, list.map((m) => ({ ...m }))])) };
  }

  restoreState(state: WanSendsState): void {
    for (const [step, list] of state.resends)
      this.#resends.set(
        step,
        list.map((m) => ({ ...m })),
      );
  }

  /** Sends the re-sends due at this step. */
  sendResends(run: RunContext): void {
    for (const m of this.#resends.get(run.step) ?? []) this.send(run, m);
    this.#resends.delete(run.step);
  }
}

function pushAt<T>(map: Map<number, T[]>, k: number, item: T): void {
  const list = map.get(k);
  if (list) list.push(item);
  else map.set(k, [item]);
}
