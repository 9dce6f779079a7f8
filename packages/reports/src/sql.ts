/**
 * SQL quoting, in one place: every literal and identifier the package builds goes through here,
 * so a party name with a quote in it cannot change the meaning of a statement.
 */

/** A string literal: `O'Brien` → `'O''Brien'`. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** An identifier: always double-quoted, inner quotes doubled. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `('a', 'b', …)` for `CREATE TYPE … AS ENUM`. */
export function sqlStringList(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}
