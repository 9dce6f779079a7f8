/**
 * Growable builder for UtrnBatch (one row per keypad entry, and one per UTRN never typed in),
 * filled in the worker that owns the meter and trimmed by `finish()` into transferable arrays.
 */
import type { UtrnBatch } from '../run/run-records.js';

export class UtrnBatchBuilder {
  length = 0;
  #step = new Uint32Array(16);
  #meter = new Uint32Array(16);
  #supplier = new Uint16Array(16);
  #value = new Uint32Array(16);
  #status = new Uint8Array(16);
  readonly #utrn: string[] = [];

  push(step: number, meter: number, supplier: number, utrn: string, valuePence: number, status: number): void {
    const i = this.length++;
    if (i >= this.#step.length) {
      const size = this.#step.length * 2;
      this.#step = grown(this.#step, new Uint32Array(size));
      this.#meter = grown(this.#meter, new Uint32Array(size));
      this.#supplier = grown(this.#supplier, new Uint16Array(size));
      this.#value = grown(this.#value, new Uint32Array(size));
      this.#status = grown(this.#status, new Uint8Array(size));
    }
    this.#step[i] = step;
    this.#meter[i] = meter;
    this.#supplier[i] = supplier;
    this.#value[i] = valuePence;
    this.#status[i] = status;
    this.#utrn.push(utrn);
  }

  finish(): UtrnBatch {
    const n = this.length;
    return {
      length: n,
      step: this.#step.slice(0, n),
      meter: this.#meter.slice(0, n),
      supplier: this.#supplier.slice(0, n),
      utrn: this.#utrn.slice(0, n),
      valuePence: this.#value.slice(0, n),
      status: this.#status.slice(0, n),
    };
  }
}

/** An empty batch (a step or shard without UTRNs). */
export function emptyUtrnBatch(): UtrnBatch {
  return new UtrnBatchBuilder().finish();
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
