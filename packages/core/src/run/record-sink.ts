/**
 * Where a run's records go (the CLI plugs in the DuckDB run database from @gbfleet/reports;
 * core knows only this interface). `BufferedRecordSink` gathers the many small per-step batches
 * into large ones, so the database appends full chunks instead of a few rows at a time, and
 * writes the `meters` rows behind the steps rather than before them.
 */
import { snapshotRows } from '../fleet/fleet-snapshot.js';
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
 * Meters rows written behind the steps go in parts of this many, so a step's writes wait for one
 * part at most, not for the whole fleet (the target writes one batch at a time).
 */
export const METER_PART_ROWS = 1 << 17;

/**
 * Buffers alerts, commands, supply events and UTRNs; passes the rest straight on, or, for the
 * meters rows, writes them behind the steps (`startMeters`).
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
  /** The meters rows being written behind the steps (settled when there are none). */
  #metersBehind: Promise<void> = Promise.resolve();
  /** Why they could not be written: every write after it fails with it. */
  #metersFailure: { error: unknown } | undefined;

  constructor(target: RunRecordSink, flushRows = DEFAULT_FLUSH_ROWS) {
    this.#target = target;
    this.#flushRows = flushRows;
  }

  async parties(rows: PartyRecord[]): Promise<void> {
    this.#throwIfMetersFailed();
    return this.#target.parties(rows);
  }
  async meters(snapshot: MeterSnapshot): Promise<void> {
    this.#throwIfMetersFailed();
    return this.#target.meters(snapshot);
  }
  async charges(rows: ChargeRow[]): Promise<void> {
    this.#throwIfMetersFailed();
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
   * Starts writing the meters rows without waiting for them, METER_PART_ROWS at a time, each part
   * after the one before it, so the other tables' writes take their turns in between. `flush`
   * waits for the last part; a part that fails fails every write after it, and the flush.
   * `written` is told once they are all in. The snapshot must not change until then.
   */
  startMeters(snapshot: MeterSnapshot, written?: () => void, partRows = METER_PART_ROWS): void {
    const parts = async () => {
      await this.#metersBehind;
      for (let from = 0; from < snapshot.length; from += partRows) {
        await this.#target.meters(snapshotRows(snapshot, from, Math.min(snapshot.length, from + partRows)));
      }
      written?.();
    };
    this.#metersBehind = parts().catch((error: unknown) => {
      this.#metersFailure ??= { error };
    });
  }

  /** Writes everything still buffered, and waits for the meters rows written behind. */
  async flush(): Promise<void> {
    await this.#metersBehind;
    this.#throwIfMetersFailed();
    for (const kind of ['alerts', 'commands', 'supplyEvents', 'utrn'] as const) await this.#flushKind(kind);
  }

  #throwIfMetersFailed(): void {
    if (this.#metersFailure) throw this.#metersFailure.error;
  }

  async #add(kind: BufferedKind, batch: { length: number }): Promise<void> {
    this.#throwIfMetersFailed();
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
