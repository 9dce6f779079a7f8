/**
 * Where a run's records go (the CLI plugs in the DuckDB run database from @gbfleet/reports;
 * core knows only this interface). `BufferedRecordSink` gathers the many small per-step batches
 * into large ones, so the database appends full chunks instead of a few rows at a time, and
 * writes the `meters` and `parties` rows behind the steps rather than before them.
 */
import type {
  AlertBatch,
  ChargeRow,
  CommandRecordBatch,
  MeterSnapshot,
  PartyRecord,
  SupplyEventBatch,
  UtrnBatch,
} from './run-records.js';

export interface RunRecordSink {
  parties(rows: PartyRecord[]): Promise<void>;
  meters(snapshot: MeterSnapshot): Promise<void>;
  alerts(batch: AlertBatch): Promise<void>;
  commands(batch: CommandRecordBatch): Promise<void>;
  supplyEvents(batch: SupplyEventBatch): Promise<void>;
  utrn(batch: UtrnBatch): Promise<void>;
  charges(rows: ChargeRow[]): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: columns of any typed-array or array type
type Columnar = { length: number; [column: string]: any };

/** Concatenates columnar batches of one kind (typed-array and plain-array columns alike). */
export function concatBatches<B extends { length: number }>(batches: readonly B[]): B {
  const first = batches[0];
  if (!first) throw new RangeError('concatBatches needs at least one batch');
  if (batches.length === 1) return first;
  const length = batches.reduce((n, b) => n + b.length, 0);
  const out: Record<string, unknown> = { length };
  for (const key of Object.keys(first)) {
    if (key === 'length') continue;
    const column = (first as Columnar)[key];
    if (Array.isArray(column)) {
      out[key] = batches.flatMap((b) => (b as Columnar)[key] as unknown[]);
    } else if (ArrayBuffer.isView(column)) {
      const ctor = (column as unknown as { constructor: new (n: number) => Uint8Array }).constructor;
      const joined = new ctor(length);
      let at = 0;
      for (const b of batches) {
        const part = (b as Columnar)[key] as Uint8Array;
        joined.set(part, at);
        at += part.length;
      }
      out[key] = joined;
    }
  }
  return out as B;
}

type BufferedKind = 'alerts' | 'commands' | 'supplyEvents' | 'utrn';

const DEFAULT_FLUSH_ROWS = 200_000;

/**
 * Buffers alerts, commands, supply events and UTRNs; passes the rest straight on, or starts them
 * behind the steps (`startMeters`, `startParties`): a step need not wait for them.
 */
export class BufferedRecordSink implements RunRecordSink {
  readonly #target: RunRecordSink;
  readonly #flushRows: number;
  readonly #pending = {
    alerts: [] as AlertBatch[],
    commands: [] as CommandRecordBatch[],
    supplyEvents: [] as SupplyEventBatch[],
    utrn: [] as UtrnBatch[],
  };
  #rows = { alerts: 0, commands: 0, supplyEvents: 0, utrn: 0 };
  /** The writes started behind the steps (the meters and parties rows), in turn; settled when none are left. */
  #behind: Promise<void> = Promise.resolve();
  /** Why one of them failed: every write after it fails with it. */
  #behindFailure: { error: unknown } | undefined;

  constructor(target: RunRecordSink, flushRows = DEFAULT_FLUSH_ROWS) {
    this.#target = target;
    this.#flushRows = flushRows;
  }

  async parties(rows: PartyRecord[]): Promise<void> {
    this.#throwIfBehindFailed();
    return this.#target.parties(rows);
  }
  async meters(snapshot: MeterSnapshot): Promise<void> {
    this.#throwIfBehindFailed();
    return this.#target.meters(snapshot);
  }
  async charges(rows: ChargeRow[]): Promise<void> {
    this.#throwIfBehindFailed();
    return this.#target.charges(rows);
  }
  alerts(batch: AlertBatch): Promise<void> {
    return this.#add('alerts', batch);
  }
  commands(batch: CommandRecordBatch): Promise<void> {
    return this.#add('commands', batch);
  }
  supplyEvents(batch: SupplyEventBatch): Promise<void> {
    return this.#add('supplyEvents', batch);
  }
  utrn(batch: UtrnBatch): Promise<void> {
    return this.#add('utrn', batch);
  }

  /**
   * Starts writing the meters rows without waiting for them, part after part, so the other
   * tables' writes take their turns in between (the target writes one batch at a time: a write
   * waits for the part in hand, not for the fleet). Each part is let go once written. `written`
   * is told once they are all in. No part may change until then.
   */
  startMeters(parts: readonly MeterSnapshot[], written?: () => void): void {
    const waiting = [...parts];
    this.#startBehind(async () => {
      for (let part = waiting.shift(); part; part = waiting.shift()) await this.#target.meters(part);
      written?.();
    });
  }

  /** Starts writing the parties rows without waiting for them, after what was started before. */
  startParties(rows: PartyRecord[]): void {
    this.#startBehind(() => this.#target.parties(rows));
  }

  /**
   * Writes everything still buffered, once the writes started behind are done; one of those that
   * failed fails the flush (and every write after it).
   */
  async flush(): Promise<void> {
    await this.#behind;
    this.#throwIfBehindFailed();
    for (const kind of ['alerts', 'commands', 'supplyEvents', 'utrn'] as const) await this.#flushKind(kind);
  }

  /** Runs `write` after the writes behind started before it, unless one of those failed. */
  #startBehind(write: () => Promise<void>): void {
    this.#behind = this.#behind
      .then(() => (this.#behindFailure ? undefined : write()))
      .catch((error: unknown) => {
        this.#behindFailure ??= { error };
      });
  }

  #throwIfBehindFailed(): void {
    if (this.#behindFailure) throw this.#behindFailure.error;
  }

  async #add(kind: BufferedKind, batch: { length: number }): Promise<void> {
    this.#throwIfBehindFailed();
    if (batch.length === 0) return;
    (this.#pending[kind] as Columnar[]).push(batch);
    this.#rows[kind] += batch.length;
    if (this.#rows[kind] >= this.#flushRows) await this.#flushKind(kind);
  }

  async #flushKind(kind: BufferedKind): Promise<void> {
    const batches = this.#pending[kind] as Columnar[];
    if (batches.length === 0) return;
    this.#pending[kind] = [] as never;
    this.#rows[kind] = 0;
    await (this.#target[kind] as (b: Columnar) => Promise<void>).call(this.#target, concatBatches(batches));
  }
}
