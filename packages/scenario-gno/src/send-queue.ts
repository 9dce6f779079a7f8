/**
 * The work list of one sender (the departing GNO, the DSP): GPFs waiting for a command, first in
 * first out, plus retries that fall due at a later step. Each step the sender takes at most its
 * rate; retries due join the back of the line, so a GPF never jumps ahead of one still waiting
 * for its first attempt. Order depends only on the order of calls: deterministic.
 */
/** A SendQueue between two steps, for a checkpoint: who is in line, in order, and the retries by step. */
export interface SendQueueState {
  waiting: Uint32Array;
  due: Map<number, Uint32Array>;
}

export class SendQueue {
  #items: number[] = [];
  #head = 0;
  readonly #due = new Map<number, number[]>();

  enqueue(meter: number): void {
    this.#items.push(meter);
  }

  /** `meter` joins the line again at `step`. */
  retryAt(step: number, meter: number): void {
    const list = this.#due.get(step);
    if (list) list.push(meter);
    else this.#due.set(step, [meter]);
  }

  /** Retries due at `step` join the line; then up to `limit` GPFs leave it, in order. */
  take(step: number, limit: number): number[] {
    const due = this.#due.get(step);
    if (due) {
      for (const meter of due) this.#items.push(meter);
      this.#due.delete(step);
    }
    const end = Math.min(this.#items.length, this.#head + limit);
    const out = this.#items.slice(this.#head, end);
    this.#head = end;
    // Drop what has been taken once it is most of the array, so memory follows what is waiting.
    if (this.#head > 65_536 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  /** GPFs in line now, and retries scheduled for later. */
  get waiting(): number {
    let later = 0;
    for (const list of this.#due.values()) later += list.length;
    return this.#items.length - this.#head + later;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#due.clear();
  }

  saveState(): SendQueueState {
    const due = new Map<number, Uint32Array>();
    for (const [step, list] of this.#due) due.set(step, Uint32Array.from(list));
    return { waiting: Uint32Array.from(this.#items.slice(this.#head)), due };
  }

  /** A queue that goes on as the saved one would have: the line's taken part is not kept. */
  static fromState(state: SendQueueState): SendQueue {
    const queue = new SendQueue();
    queue.#items = Array.from(state.waiting);
    for (const [step, list] of state.due) queue.#due.set(step, Array.from(list));
    return queue;
  }
}
