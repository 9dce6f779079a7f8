/**
 * A run's outcome digest: SHA-256 over the outcome tables, each row in a canonical order, without
 * run_id and without anything wall-clock (the `runs` table is left out whole). Two runs of the same
 * scenario and seed must have equal digests whatever their worker count or batch sizes: the
 * determinism tests compare exactly this.
 *
 * Each row is hashed as its columns' text (DuckDB's own casts, NULL as `\N`) joined by U+001F,
 * after a header naming the table and its columns and types; rows are sorted by every column.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Db } from './db.js';
import { RunDatabaseMissingError } from './errors.js';
import { OUTCOME_TABLES } from './schema.js';
import { sqlIdent, sqlString } from './sql.js';

export async function runDigest(path: string): Promise<string> {
  const file = resolve(path);
  if (!existsSync(file)) throw new RunDatabaseMissingError(file);
  const db = await Db.open(file, { readOnly: true });
  try {
    const hash = createHash('sha256');
    for (const table of OUTCOME_TABLES) {
      const columns = await db.query(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'main' AND table_name = ${sqlString(table)} AND column_name <> 'run_id'
         ORDER BY ordinal_position`,
      );
      const names = columns.rows.map((r) => String(r[0]));
      hash.update(`\u001e${table}\u001d${columns.rows.map((r) => `${r[0]} ${r[1]}`).join('\u001f')}\n`);
      const text = names.map((n) => `coalesce(CAST(${sqlIdent(n)} AS VARCHAR), '\\N')`).join(` || chr(31) || `);
      const order = names.map(sqlIdent).join(', ');
      for await (const row of db.streamText(`SELECT ${text} FROM ${sqlIdent(table)} ORDER BY ${order}`)) {
        hash.update(`${row}\n`);
      }
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
