/**
 * A RunRecordSink that keeps every record in memory as canonical text rows, with an
 * order-independent digest: for runs without a database (tests, notebooks, quick what-ifs) and
 * for proving that two runs produced the same outcomes.
 */
import { createHash } from 'node:crypto';
import type { RunRecordSink } from './record-sink.js';

type Row = string;

export class MemorySink implements RunRecordSink {
  readonly tables: Record<string, Row[]> = {};
  /** Where each step-keyed table keeps its step, by column position. */
  readonly #stepColumn: Record<string, number> = {};

  #rows(table: string, batch: { length: number } & Record<string, unknown>, skip: string[] = []): void {
    const keys = Object.keys(batch).filter((k) => k !== 'length' && !skip.includes(k));
    if (keys.includes('step')) this.#stepColumn[table] = keys.indexOf('step');
    const rows = this.#table(table);
    for (let i = 0; i < batch.length; i++) {
      rows.push(keys.map((k) => String((batch[k] as ArrayLike<unknown>)[i])).join(','));
    }
  }

  async parties(rows: Parameters<RunRecordSink['parties']>[0]) {
    this.#table('parties').push(
      ...rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
    );
  }
  async meters(b: Parameters<RunRecordSink['meters']>[0]) {
    this.#rows('meters', b as never, ['firstMeterId']);
  }
  async alerts(b: Parameters<RunRecordSink['alerts']>[0]) {
    this.#rows('alerts', b as never);
  }
  async commands(b: Parameters<RunRecordSink['commands']>[0]) {
    this.#rows('commands', b as never);
  }
  async supplyEvents(b: Parameters<RunRecordSink['supplyEvents']>[0]) {
    this.#rows('supply', b as never);
  }
  async utrn(b: Parameters<RunRecordSink['utrn']>[0]) {
    this.#rows('utrn', b as never);
  }
  async charges(rows: Parameters<RunRecordSink['charges']>[0]) {
    this.#table('charges').push(...rows.map((r) => JSON.stringify(r)));
  }

  #table(name: string): Row[] {
    this.tables[name] ??= [];
    return this.tables[name];
  }

  /**
   * What a resumed run's database does to the rows of a run killed after a checkpoint at `step`:
   * drops every row of that step or later, and the charges (written only at the end).
   */
  dropFromStep(step: number): void {
    delete this.tables.charges;
    for (const [table, column] of Object.entries(this.#stepColumn)) {
      this.tables[table] = (this.tables[table] ?? []).filter((row) => Number(row.split(',')[column]) < step);
    }
  }

  count(table: string): number {
    return this.tables[table]?.length ?? 0;
  }

  /** Order-independent digest of every table. */
  digest(): string {
    const hash = createHash('sha256');
    for (const table of Object.keys(this.tables).sort()) {
      hash.update(`${table}\n`);
      for (const row of [...(this.tables[table] as Row[])].sort()) hash.update(`${row}\n`);
    }
    return hash.digest('hex');
  }
}
