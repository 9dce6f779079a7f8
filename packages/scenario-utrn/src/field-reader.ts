/**
 * Reads an untrusted scenario value (the `plugins.utrn` section, this package's event parameters)
 * field by field. Every problem becomes a ScenarioIssue — the field's path, the value found, what
 * is allowed — and reading goes on, so a planner sees every mistake in one pass. A reader returns
 * its fallback for a field it could not read; the caller throws once at the end if any issue.
 */
import { closestName, describeValue, type ScenarioIssue } from '@gbfleet/core';

/** Enough to fix a file; a hostile file with thousands of mistakes cannot flood the message. */
const MAX_ISSUES = 200;

export class FieldReader {
  readonly issues: ScenarioIssue[] = [];

  fail(path: string, value: unknown, expected: string): void {
    if (this.issues.length >= MAX_ISSUES) return;
    const found = value === undefined ? 'missing' : `got ${describeValue(value)}`;
    this.issues.push({ path, value, message: `${found}, ${expected}` });
  }

  /** A plain mapping; keys outside `allowed` are reported (with a suggestion). Undefined when not a mapping. */
  mapping(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (!isPlainMapping(value)) {
      this.fail(path, value, `expected a mapping with fields ${quoted(allowed)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const near = closestName(key, allowed);
      if (this.issues.length < MAX_ISSUES) {
        this.issues.push({
          path: `${path}.${key}`,
          value: value[key],
          message: `unknown field, expected one of ${quoted(allowed)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
        });
      }
    }
    return value;
  }

  /** An optional sub-mapping: absent gives `{}` (every field then takes its default). */
  section(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
    if (value === undefined) return {};
    return this.mapping(value, path, allowed) ?? {};
  }

  integer(value: unknown, path: string, min: number, max: number, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, value, `expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  number(value: unknown, path: string, min: number, max: number, fallback: number, what = 'a number'): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(path, value, `expected ${what} from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  share(value: unknown, path: string, fallback: number): number {
    return this.number(value, path, 0, 1, fallback, 'a share (a decimal)');
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(path, value, 'expected true or false');
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    const near = typeof value === 'string' ? closestName(value, options) : undefined;
    this.fail(
      path,
      value,
      `expected one of ${quoted(options)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
    );
    return fallback;
  }

  /** Must be present. */
  required(value: unknown, path: string, expected: string): boolean {
    if (value !== undefined) return true;
    this.fail(path, value, expected);
    return false;
  }
}

/** An object made by a YAML or JSON parser (not an array, a Date, a class instance or null). */
export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}
