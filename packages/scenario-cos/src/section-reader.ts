/**
 * Reads an untrusted `plugins.cos` value field by field. Every problem becomes a ScenarioIssue
 * (path, value, what is allowed) and reading goes on, so a planner sees every mistake at once;
 * a reader returns undefined for a field it could not read and the caller moves on.
 * Messages follow the core's: `plugins.cos.batches[0].meters: got -5, expected an integer from 1 to …`.
 */
import { closestName, describeValue, type ScenarioIssue } from '@gbfleet/core';

/** Cut-off so a hostile file with thousands of mistakes cannot flood the message. */
const MAX_ISSUES = 200;

export class SectionReader {
  readonly issues: ScenarioIssue[] = [];

  fail(path: string, value: unknown, expected: string): undefined {
    if (this.issues.length < MAX_ISSUES) {
      this.issues.push({
        path,
        value,
        message: `${value === undefined ? 'missing' : `got ${describeValue(value)}`}, ${expected}`,
      });
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
          message: `unknown field, expected one of ${quoted(allowed)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
        });
      }
    }
    return value;
  }

  list(value: unknown, path: string, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, value, `expected a list of ${min} to ${max} entries`);
    if (value.length < min || value.length > max) {
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
    return this.fail(
      path,
      value,
      `expected one of ${quoted(options)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
    );
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
