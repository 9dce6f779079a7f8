/**
 * Reads an untrusted scenario value (a plug-in's `plugins.<name>` section, an event's params)
 * field by field. Every problem becomes a ScenarioIssue (the field's path, the value found, what
 * is allowed) and reading goes on, so a planner sees every mistake in one pass; the caller throws
 * one ScenarioError at the end if there is any issue.
 *
 * Two kinds of method:
 * - `integer`, `number`, `share`, `boolean`, `oneOf` read a field that must be there: missing or
 *   wrong is an issue, and they return undefined.
 * - `integerOr`, `numberOr`, … take a default: an absent field gives it silently, a wrong one is an
 *   issue and gives it too.
 *
 * Messages read like the core's: `plugins.cos.batches[0].meters: got -5, expected an integer from 1 to …`.
 */
import { closestName, describeValue, type ScenarioIssue } from './scenario-error.js';

/** Enough to fix a file; a hostile file with thousands of mistakes cannot flood the message. */
const MAX_ISSUES = 200;

export class SectionReader {
  readonly issues: ScenarioIssue[] = [];

  /** Records "got <value>, <expected>" (or "missing, …") at `path`. */
  fail(path: string, value: unknown, expected: string): undefined {
    if (this.issues.length < MAX_ISSUES) {
      const found = value === undefined ? 'missing' : `got ${describeValue(value)}`;
      this.issues.push({ path, value, message: `${found}, ${expected}` });
    }
    return undefined;
  }

  /** A plain mapping whose keys are all in `allowed` (unknown keys are reported, with a suggestion). */
  mapping(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (!isPlainMapping(value)) return this.fail(path, value, `expected a mapping with fields ${quoted(allowed)}`);
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const near = closestName(key, allowed);
      if (this.issues.length < MAX_ISSUES) {
        this.issues.push({
          path: `${path}.${key}`,
          value: value[key],
          message: `unknown field, expected one of ${quoted(allowed)}${didYouMean(near)}`,
        });
      }
    }
    return value;
  }

  /** An optional sub-mapping: absent (or not a mapping, reported) gives `{}`, whose fields take their defaults. */
  section(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
    if (value === undefined) return {};
    return this.mapping(value, path, allowed) ?? {};
  }

  list(value: unknown, path: string, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      return this.fail(path, value, `expected a list of ${min} to ${max} entries`);
    }
    return value;
  }

  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(path, value, `expected an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A finite number in [min, max]; `what` names it in the message. */
  number(value: unknown, path: string, min: number, max: number, what = 'a number'): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      return this.fail(path, value, `expected ${what} from ${min} to ${max}`);
    }
    return value;
  }

  share(value: unknown, path: string): number | undefined {
    return this.number(value, path, 0, 1, 'a share (a decimal)');
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value !== 'boolean') return this.fail(path, value, 'expected true or false');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T | undefined {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    const near = typeof value === 'string' ? closestName(value, options) : undefined;
    return this.fail(path, value, `expected one of ${quoted(options)}${didYouMean(near)}`);
  }

  integerOr(value: unknown, path: string, min: number, max: number, fallback: number): number {
    return value === undefined ? fallback : (this.integer(value, path, min, max) ?? fallback);
  }

  numberOr(value: unknown, path: string, min: number, max: number, fallback: number, what?: string): number {
    return value === undefined ? fallback : (this.number(value, path, min, max, what) ?? fallback);
  }

  shareOr(value: unknown, path: string, fallback: number): number {
    return value === undefined ? fallback : (this.share(value, path) ?? fallback);
  }

  booleanOr(value: unknown, path: string, fallback: boolean): boolean {
    return value === undefined ? fallback : (this.boolean(value, path) ?? fallback);
  }

  oneOfOr<T extends string>(value: unknown, path: string, options: readonly T[], fallback: T): T {
    return value === undefined ? fallback : (this.oneOf(value, path, options) ?? fallback);
  }

  /** Must be present: false (and an issue saying what is expected) when it is not. */
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

/** `"a", "b", "c"`: names as a planner would type them. */
export function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

function didYouMean(near: string | undefined): string {
  return near ? ` (did you mean ${JSON.stringify(near)}?)` : '';
}
