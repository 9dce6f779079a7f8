/**
 * The codes a supplier has issued and not yet seen settled: each a ticket — which meter, which
 * request, its UTRN counter, when the message was due, which command set the meter has — with
 * the steps its consumer will next sit at the keypad. The meter's rows come back without a
 * ticket id; a code is found again by (meter, counter bits), which its digits carry and which
 * no two open codes of one meter share (a meter would need 1,024 open codes).
 */
import type { RunContext } from '@gbfleet/core';
import { ReplayableStream } from './replayable-stream.js';
import type { Message } from './utrn-message.js';

export interface Ticket extends Message {
  /** UTRN counter (the 64-bit counter's upper 32 bits). */
  counter: number;
  digits: number;
  /** 0 top-up-only, 1 extended. */
  arm: number;
  sittings: number;
  /** The consumer's draws for this code (consumerStream). */
  random: ReplayableStream;
}

/** A ticket in a checkpoint: its stream is the log of the draws made from it. */
export interface TicketState extends Omit<Ticket, 'random'> {
  draws: number[];
}

/** What the book keeps in a checkpoint: every ticket once, open and due ones by index into `tickets`. */
export interface TicketBookState {
  issued: number;
  tickets: TicketState[];
  open: number[];
  due: Map<number, number[]>;
}

/**
 * The consumer's draws for a code: keyed by its meter and UTRN counter, never by how many codes
 * the run issued before it (which would tie one meter's story to every other's). `draws`: a
 * checkpoint's log, replayed.
 */
export function consumerStream(
  run: Pick<RunContext, 'random'>,
  meter: number,
  counter: number,
  draws: readonly number[] = [],
): ReplayableStream {
  return new ReplayableStream(run.random('utrn-consumer', (BigInt(meter) << 32n) | BigInt(counter)), draws);
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

  /** A ticket is open and due at once: the state names each once, so the restored book shares it again. */
  saveState(): TicketBookState {
    const index = new Map<Ticket, number>();
    const tickets: TicketState[] = [];
    const indexOf = (t: Ticket): number => {
      let i = index.get(t);
      if (i === undefined) {
        i = tickets.length;
        index.set(t, i);
        const { random, ...rest } = t;
        tickets.push({ ...rest, draws: random.log });
      }
      return i;
    };
    const open = [...this.#open.values()].map(indexOf);
    const due = new Map([...this.#due].map(([step, list]) => [step, list.map(indexOf)]));
    return { issued: this.issued, tickets, open, due };
  }

  /** The saved book, each ticket's stream replayed to where it stood. */
  static fromState(state: TicketBookState, run: Pick<RunContext, 'random'>): TicketBook {
    const tickets = state.tickets.map(
      ({ draws, ...t }): Ticket => ({
        ...t,
        random: consumerStream(run, t.meter, t.counter, draws),
      }),
    );
    const at = (i: number) => tickets[i] as Ticket;
    const book = new TicketBook();
    book.issued = state.issued;
    for (const i of state.open) book.#open.set(key(at(i).meter, at(i).counter), at(i));
    for (const [step, list] of state.due) book.#due.set(step, list.map(at));
    return book;
  }
}
