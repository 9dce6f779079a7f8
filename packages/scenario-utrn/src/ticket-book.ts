/**
 * The codes a supplier has issued and not yet seen settled: each a ticket — which meter, which
 * request, its UTRN counter, when the message was due, which command set the meter has — with
 * the steps its consumer will next sit at the keypad. The meter's rows come back without a
 * ticket id; a code is found again by (meter, counter bits), which its digits carry and which
 * no two open codes of one meter share (a meter would need 1,024 open codes).
 */
import type { RandomStream } from '@gbfleet/core';
import type { Message } from './utrn-message.js';

export interface Ticket extends Message {
  /** UTRN counter (the 64-bit counter's upper 32 bits). */
  counter: number;
  digits: number;
  /** 0 top-up-only, 1 extended. */
  arm: number;
  sittings: number;
  /** The consumer's draws for this code. */
  random: RandomStream;
}

const key = (meter: number, counterBits: number) => meter * 1024 + (counterBits & 0x3ff);

export class TicketBook {
  readonly #open = new Map<number, Ticket>();
  readonly #due = new Map<number, Ticket[]>();
  issued = 0;

  add(ticket: Ticket, firstSitting: number): void {
    this.#open.set(key(ticket.meter, ticket.counter), ticket);
    this.issued++;
    this.schedule(ticket, firstSitting);
  }

  schedule(ticket: Ticket, step: number): void {
    const list = this.#due.get(step);
    if (list) list.push(ticket);
    else this.#due.set(step, [ticket]);
  }

  /** Tickets whose consumer sits at the keypad this step, in issue order. */
  takeDue(step: number): Ticket[] {
    const list = this.#due.get(step) ?? [];
    this.#due.delete(step);
    return list;
  }

  find(meter: number, counterBits: number): Ticket | undefined {
    return this.#open.get(key(meter, counterBits));
  }

  close(ticket: Ticket): void {
    this.#open.delete(key(ticket.meter, ticket.counter));
  }

  openTickets(): IterableIterator<Ticket> {
    return this.#open.values();
  }

  get open(): number {
    return this.#open.size;
  }
}
