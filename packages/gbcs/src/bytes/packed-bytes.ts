/**
 * Many variable-length byte strings in one buffer: `bytes` holds them back to back and
 * `offsets[i]..offsets[i+1]` bounds item i (so `offsets.length === count + 1`). Two
 * transferable buffers carry a whole batch of frames between threads without msgpack.
 */
import { InvalidArgumentError } from '../errors.js';

export interface PackedBytes {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

export function packedCount(packed: PackedBytes): number {
  return packed.offsets.length - 1;
}

/** Item i as a view into the packed buffer (no copy). */
export function packedItem(packed: PackedBytes, i: number): Uint8Array {
  const start = packed.offsets[i] as number;
  const end = packed.offsets[i + 1] as number;
  return packed.bytes.subarray(start, end);
}

export function packBytes(items: readonly Uint8Array[]): PackedBytes {
  let total = 0;
  for (const item of items) total += item.length;
  const bytes = new Uint8Array(total);
  const offsets = new Uint32Array(items.length + 1);
  let at = 0;
  items.forEach((item, i) => {
    bytes.set(item, at);
    at += item.length;
    offsets[i + 1] = at;
  });
  return { bytes, offsets };
}

/** Checks the offsets are monotonic and inside `bytes`: a batch from another thread is still input. */
export function assertPackedBytes(packed: PackedBytes, what: string): void {
  const { bytes, offsets } = packed;
  if (offsets.length < 1 || offsets[0] !== 0) throw new InvalidArgumentError(`${what}: offsets must start at 0`);
  for (let i = 1; i < offsets.length; i++) {
    if ((offsets[i] as number) < (offsets[i - 1] as number) || (offsets[i] as number) > bytes.length) {
      throw new InvalidArgumentError(`${what}: offset ${i} is out of order or beyond the ${bytes.length}-byte buffer`);
    }
  }
}

/** Builds a PackedBytes incrementally, growing its buffer by doubling. */
export class PackedBytesBuilder {
  #bytes: Uint8Array;
  #offsets: number[] = [0];
  #length = 0;

  constructor(initialCapacity = 4096) {
    this.#bytes = new Uint8Array(initialCapacity);
  }

  push(item: Uint8Array): void {
    const at = this.claim(item.length);
    this.#bytes.set(item, at);
  }

  /**
   * Appends an item of `size` bytes for the caller to write in place (into `bytes` at the
   * returned offset): spares the hot path a buffer per item. `bytes` may be a new array after.
   */
  claim(size: number): number {
    this.#reserve(size);
    const at = this.#length;
    this.#length += size;
    this.#offsets.push(this.#length);
    return at;
  }

  /** The buffer being filled: valid until the next `push` or `claim`. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  get count(): number {
    return this.#offsets.length - 1;
  }

  finish(): PackedBytes {
    // Copy to an exact-size buffer so a transfer moves no slack.
    return { bytes: this.#bytes.slice(0, this.#length), offsets: Uint32Array.from(this.#offsets) };
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    let capacity = Math.max(64, this.#bytes.length * 2);
    while (capacity < this.#length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
