/**
 * Growable columnar builders for the run's record batches: push one entry at a time into typed
 * arrays that double when full, then `finish()` trims them into a batch whose buffers can be
 * transferred. Used in workers (alerts, supply events) and on the main thread (commands).
 */
import type { AlertBatch, CommandRecordBatch, SupplyEventBatch } from './run-records.js';

type Growable = Uint8Array | Uint16Array | Uint32Array;
type Ctor<T extends Growable> = { new (length: number): T };

function grow<T extends Growable>(array: T, ctor: Ctor<T>, needed: number): T {
  if (needed <= array.length) return array;
  const next = new ctor(Math.max(needed, array.length * 2, 64));
  next.set(array as never);
  return next;
}

function trim<T extends Growable>(array: T, length: number): T {
  return array.slice(0, length) as T;
}

export class AlertBatchBuilder {
  length = 0;
  #step = new Uint32Array(0);
  #meter = new Uint32Array(0);
  #code = new Uint8Array(0);
  #recipient = new Uint16Array(0);
  #registered = new Uint16Array(0);
  #reads = new Uint8Array(0);

  push(step: number, meter: number, code: number, recipient: number, registeredSupplier: number, reads: boolean): void {
    const i = this.length++;
    if (i >= this.#step.length) {
      this.#step = grow(this.#step, Uint32Array, i + 1);
      this.#meter = grow(this.#meter, Uint32Array, i + 1);
      this.#code = grow(this.#code, Uint8Array, i + 1);
      this.#recipient = grow(this.#recipient, Uint16Array, i + 1);
      this.#registered = grow(this.#registered, Uint16Array, i + 1);
      this.#reads = grow(this.#reads, Uint8Array, i + 1);
    }
    this.#step[i] = step;
    this.#meter[i] = meter;
    this.#code[i] = code;
    this.#recipient[i] = recipient;
    this.#registered[i] = registeredSupplier;
    this.#reads[i] = reads ? 1 : 0;
  }

  finish(): AlertBatch {
    const n = this.length;
    return {
      length: n,
      step: trim(this.#step, n),
      meter: trim(this.#meter, n),
      code: trim(this.#code, n),
      recipient: trim(this.#recipient, n),
      registeredSupplier: trim(this.#registered, n),
      carriesReads: trim(this.#reads, n),
      // Meters raise; whether the DCC received it is the DCC model's call (DccModel.routeAlerts).
      delivered: new Uint8Array(n).fill(1),
    };
  }
}

/** Supply events in the order they happen; `seq` numbers each meter's events within a step. */
export class SupplyEventBatchBuilder {
  length = 0;
  #step = new Uint32Array(0);
  #meter = new Uint32Array(0);
  #seq = new Uint16Array(0);
  #event = new Uint8Array(0);
  #cause = new Uint8Array(0);
  /** Events so far per (step, meter): supply events are rare, so a small map. */
  readonly #perMeter = new Map<number, number>();
  #perMeterStep = -1;

  push(step: number, meter: number, event: number, cause: number): void {
    if (step !== this.#perMeterStep) {
      this.#perMeter.clear();
      this.#perMeterStep = step;
    }
    const seq = this.#perMeter.get(meter) ?? 0;
    if (seq > 0xffff) throw new RangeError(`meter ${meter} has over 65,536 supply events in step ${step}`);
    this.#perMeter.set(meter, seq + 1);
    const i = this.length++;
    if (i >= this.#step.length) {
      this.#step = grow(this.#step, Uint32Array, i + 1);
      this.#meter = grow(this.#meter, Uint32Array, i + 1);
      this.#seq = grow(this.#seq, Uint16Array, i + 1);
      this.#event = grow(this.#event, Uint8Array, i + 1);
      this.#cause = grow(this.#cause, Uint8Array, i + 1);
    }
    this.#step[i] = step;
    this.#meter[i] = meter;
    this.#seq[i] = seq;
    this.#event[i] = event;
    this.#cause[i] = cause;
  }

  finish(): SupplyEventBatch {
    const n = this.length;
    return {
      length: n,
      step: trim(this.#step, n),
      meter: trim(this.#meter, n),
      seq: trim(this.#seq, n),
      event: trim(this.#event, n),
      cause: trim(this.#cause, n),
    };
  }
}

export class CommandRecordBatchBuilder {
  length = 0;
  #step = new Uint32Array(0);
  #sender = new Uint16Array(0);
  #meter = new Uint32Array(0);
  #sr = new Uint8Array(0);
  #code = new Uint16Array(0);
  #channel = new Uint8Array(0);
  #reason = new Uint8Array(0);
  #attack = new Uint8Array(0);

  /** `attack`: index into ATTACKS, 0 for an ordinary command. */
  push(
    step: number,
    sender: number,
    meter: number,
    sr: number,
    messageCode: number,
    channel: number,
    reason: number,
    attack = 0,
  ) {
    const i = this.length++;
    if (i >= this.#step.length) {
      this.#step = grow(this.#step, Uint32Array, i + 1);
      this.#sender = grow(this.#sender, Uint16Array, i + 1);
      this.#meter = grow(this.#meter, Uint32Array, i + 1);
      this.#sr = grow(this.#sr, Uint8Array, i + 1);
      this.#code = grow(this.#code, Uint16Array, i + 1);
      this.#channel = grow(this.#channel, Uint8Array, i + 1);
      this.#reason = grow(this.#reason, Uint8Array, i + 1);
      this.#attack = grow(this.#attack, Uint8Array, i + 1);
    }
    this.#step[i] = step;
    this.#sender[i] = sender;
    this.#meter[i] = meter;
    this.#sr[i] = sr;
    this.#code[i] = messageCode;
    this.#channel[i] = channel;
    this.#reason[i] = reason;
    this.#attack[i] = attack;
  }

  finish(): CommandRecordBatch {
    const n = this.length;
    return {
      length: n,
      step: trim(this.#step, n),
      sender: trim(this.#sender, n),
      meter: trim(this.#meter, n),
      serviceRequest: trim(this.#sr, n),
      messageCode: trim(this.#code, n),
      channel: trim(this.#channel, n),
      reason: trim(this.#reason, n),
      attack: trim(this.#attack, n),
    };
  }
}

/** Top-up requests from consumers: which meter, how many whole pounds. */
export interface TopUpRequests {
  length: number;
  meter: Uint32Array;
  pounds: Uint16Array;
}

export class TopUpRequestBuilder {
  length = 0;
  #meter = new Uint32Array(0);
  #pounds = new Uint16Array(0);

  push(meter: number, pounds: number): void {
    const i = this.length++;
    if (i >= this.#meter.length) {
      this.#meter = grow(this.#meter, Uint32Array, i + 1);
      this.#pounds = grow(this.#pounds, Uint16Array, i + 1);
    }
    this.#meter[i] = meter;
    this.#pounds[i] = pounds;
  }

  finish(): TopUpRequests {
    return { length: this.length, meter: trim(this.#meter, this.length), pounds: trim(this.#pounds, this.length) };
  }
}
