/**
 * How one query cell reads as text (tables, CSV) and as JSON. The column's DuckDB type decides
 * what a JS value means: a Date is a day for DATE and an instant (UTC) for TIMESTAMP; a FLOAT is
 * printed as the shortest decimal that is that float, not its double expansion (0.1, not 0.10000000149…).
 */

/** The shortest decimal that rounds to the same float32 as `value`. */
function float32Text(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(value.toPrecision(digits));
    if (Math.fround(text) === value) return String(text);
  }
  return String(value);
}

function dateText(value: Date, type: string): string {
  if (Number.isNaN(value.getTime())) return String(value);
  const iso = value.toISOString();
  if (type === 'DATE') return iso.slice(0, 10);
  const ms = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '.000' ? '' : ms}`;
}

function bytesText(value: Uint8Array): string {
  return Array.from(value, (b) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Text for a cell, or null for SQL NULL (each format says how it shows NULL). */
export function cellText(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return type === 'FLOAT' ? float32Text(value) : String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value, type);
  if (value instanceof Uint8Array) return bytesText(value);
  return JSON.stringify(jsonValue(value, ''));
}

/**
 * A cell as a JSON value: bigint → number when it is a safe integer, else a decimal string;
 * TIMESTAMP → ISO 8601 string (UTC, `Z`), DATE → `YYYY-MM-DD`; NaN and ±Infinity → strings.
 */
export function jsonValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return type === 'FLOAT' ? Number(float32Text(value)) : value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return type === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (value instanceof Uint8Array) return bytesText(value);
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, ''));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v, '')]));
  }
  return value;
}
