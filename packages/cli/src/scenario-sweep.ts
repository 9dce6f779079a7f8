/**
 * Sweeps: a scenario file may hold a top-level `sweep:` block that runs the scenario once per
 * combination of values and ends in one comparison table.
 *
 *   sweep:
 *     vary:
 *       plugins.solr.srp.strategy: [[calendar], [credit-mode]]
 *       plugins.solr.adtFastTrack: [true, false]
 *     compare: [supply.peakOffSupply, "figures.solr: consumer-hours off supply"]
 *
 * Each variant is the file's value with those paths set, validated like any scenario (all
 * variants are checked before anything runs). Pure: no I/O.
 */
import type { ScenarioIssue } from '@gbfleet/core';

export const MAX_VARIANTS = 64;
const MAX_VALUES = 16;

export interface SweepVariant {
  /** Short label for tables and file names, e.g. "v03". */
  label: string;
  /** The swept paths and the values this variant takes. */
  assignments: Array<{ path: string; value: unknown }>;
  /** The scenario value with the assignments made (the `sweep` block removed). */
  value: unknown;
}

export interface Sweep {
  variants: SweepVariant[];
  /** Summary paths to compare (dotted, into the run summary). */
  compare: string[];
}

export const DEFAULT_COMPARE = [
  'commands.total',
  'commands.byReason.DCC_QUARANTINED',
  'supply.disabledEvents',
  'supply.peakOffSupply',
  'supply.offSupplyAtEnd',
];

/** Splits a scenario value into its variants; a value without `sweep` is one variant. */
export function expandSweep(value: unknown, issues: ScenarioIssue[]): Sweep {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('sweep' in value)) {
    return { variants: [{ label: 'v01', assignments: [], value }], compare: DEFAULT_COMPARE };
  }
  const { sweep, ...base } = value as Record<string, unknown>;
  if (sweep === null || typeof sweep !== 'object' || Array.isArray(sweep)) {
    issues.push({ path: 'sweep', value: sweep, message: 'expected a mapping with vary: (and optionally compare:)' });
    return { variants: [], compare: [] };
  }
  const { vary, compare, ...rest } = sweep as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    issues.push({ path: `sweep.${key}`, value: rest[key], message: 'unknown field; the fields are vary, compare' });
  }
  const axes = readAxes(vary, issues);
  const compared = readCompare(compare, issues);
  const total = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (total > MAX_VARIANTS) {
    issues.push({
      path: 'sweep.vary',
      value: total,
      message: `makes ${total} variants, at most ${MAX_VARIANTS} allowed`,
    });
  }
  if (issues.length > 0) return { variants: [], compare: compared };
  const variants: SweepVariant[] = [];
  for (let k = 0; k < total; k++) {
    // Mixed-radix digits of k pick one value per axis; the last axis varies fastest.
    let rest = k;
    const assignments = new Array<{ path: string; value: unknown }>(axes.length);
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a] as Axis;
      assignments[a] = { path: axis.path, value: axis.values[rest % axis.values.length] };
      rest = Math.floor(rest / axis.values.length);
    }
    const copy = structuredClone(base);
    for (const { path, value: v } of assignments) setPath(copy, path, structuredClone(v));
    variants.push({ label: `v${String(k + 1).padStart(2, '0')}`, assignments, value: copy });
  }
  return { variants, compare: compared };
}

interface Axis {
  path: string;
  values: unknown[];
}

const PATH = /^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*|\[\d+\])*$/;

function readAxes(vary: unknown, issues: ScenarioIssue[]): Axis[] {
  if (vary === null || typeof vary !== 'object' || Array.isArray(vary)) {
    issues.push({ path: 'sweep.vary', value: vary, message: 'expected a mapping of field path → list of values' });
    return [];
  }
  const axes: Axis[] = [];
  for (const [path, values] of Object.entries(vary)) {
    const at = `sweep.vary.${path}`;
    if (!PATH.test(path) || path === 'sweep' || path.startsWith('sweep.')) {
      issues.push({
        path: at,
        value: path,
        message: 'expected a field path such as fleet.meters or plugins.solr.adtFastTrack',
      });
    } else if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES) {
      issues.push({ path: at, value: values, message: `expected a list of 1 to ${MAX_VALUES} values` });
    } else axes.push({ path, values });
  }
  if (axes.length === 0 && issues.length === 0) {
    issues.push({ path: 'sweep.vary', value: vary, message: 'names no field to vary' });
  }
  return axes;
}

function readCompare(compare: unknown, issues: ScenarioIssue[]): string[] {
  if (compare === undefined) return DEFAULT_COMPARE;
  if (!Array.isArray(compare) || compare.length === 0 || !compare.every((c) => typeof c === 'string' && c !== '')) {
    issues.push({ path: 'sweep.compare', value: compare, message: 'expected a list of run-summary paths' });
    return DEFAULT_COMPARE;
  }
  return compare as string[];
}

/** Sets `path` (a.b[2].c) in `target`, creating mappings on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.match(/[^.[\]]+/g) as string[];
  let node: Record<string, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = /^\d+$/.test(keys[i + 1] as string) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

/** A summary value by dotted path; figure names may hold spaces and colons ("figures.solr: x"). */
export function summaryValue(summary: unknown, path: string): unknown {
  let node: unknown = summary;
  let rest = path;
  while (rest !== '') {
    if (node === null || typeof node !== 'object') return undefined;
    const record = node as Record<string, unknown>;
    // Prefer the longest key that matches, so "figures.solr: a.b" finds a key with a dot.
    const key = Object.keys(record)
      .filter((k) => rest === k || rest.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return undefined;
    node = record[key];
    rest = rest === key ? '' : rest.slice(key.length + 1);
  }
  return node;
}
