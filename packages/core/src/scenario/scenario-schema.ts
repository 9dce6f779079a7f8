/**
 * The scenario file's schema: what a planner may write, the default for everything left out,
 * and the checks that span fields (shares sum to 1, names are unique, events fall inside the run
 * and name real suppliers). Core does no I/O: `parseScenario` takes the plain value a YAML or
 * JSON parser produced and returns a complete ScenarioSpec, or throws one ScenarioError that
 * lists every problem. Unknown keys are errors, so a typo never silently becomes a default.
 */

import { InvalidArgumentError } from '@gbfleet/gbcs';
import * as z from 'zod';
import { closestName, describeValue, formatPath, ScenarioError, type ScenarioIssue } from './scenario-error.js';
import {
  CORE_EVENT_TYPES,
  DEFAULT_DAYS,
  integerIn,
  isRecord,
  MAX_DAYS,
  normaliseStart,
  SCENARIO_SCHEMA_ID,
  SEED_EXPECTED,
  SEED_MAX_LENGTH,
  START_EXPECTED,
  START_PATTERN,
  STEP_MINUTES,
} from './scenario-fields.js';
import { DEFAULT_SUPPLIERS, dccSchema, eventSchema, fleetSchema } from './scenario-sections.js';
import type { ScenarioSpec } from './scenario-spec.js';

export { ScenarioError, type ScenarioIssue } from './scenario-error.js';
export { CORE_EVENT_TYPES, MAX_DAYS, MAX_METERS, SCENARIO_SCHEMA_ID, STEP_MINUTES } from './scenario-fields.js';

export interface ParseScenarioOptions {
  /** Event types that loaded plug-ins handle, each mapped to its plug-in's name. */
  pluginEventTypes?: Record<string, string>;
  /** Names of the `plugins:` sections that loaded plug-ins read. */
  pluginSections?: string[];
}

// ---------------------------------------------------------------------------------------------
// The whole scenario.

interface SchemaMode {
  pluginEventTypes: ReadonlyMap<string, string>;
  /** undefined: any section (editors cannot know which plug-ins a run loads). */
  pluginSections: readonly string[] | undefined;
  forEditors: boolean;
}

function scenarioSchema(mode: SchemaMode) {
  const { pluginSections } = mode;
  const plugins = z
    .record(z.string(), z.unknown(), { error: 'expected a mapping of plug-in name to its section' })
    .superRefine((sections, ctx) => {
      if (pluginSections === undefined) return;
      for (const key of Object.keys(sections)) {
        if (pluginSections.includes(key)) continue;
        const near = closestName(key, pluginSections);
        const message =
          pluginSections.length === 0
            ? 'unknown plug-in section: no loaded plug-in reads one'
            : `unknown plug-in section, expected one of ${pluginSections.map((s) => JSON.stringify(s)).join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    })
    .prefault({})
    .describe('Sections that plug-ins own, keyed by plug-in name; each plug-in validates its own.');

  return z
    .strictObject({
      name: z
        .string({ error: 'expected a non-empty name of at most 200 characters' })
        .trim()
        .min(1)
        .max(200)
        .describe('Scenario name, shown in reports.'),
      description: z
        .string({ error: 'expected text of at most 10000 characters' })
        .max(10_000)
        .default('')
        .describe('What the scenario is for, in prose.'),
      // Defaults sit before the transforms so the JSON Schema (which describes input) shows them.
      seed: z
        .union(
          [
            z.string({ error: SEED_EXPECTED }).trim().min(1).max(SEED_MAX_LENGTH),
            z.number({ error: SEED_EXPECTED }).int().min(0).max(Number.MAX_SAFE_INTEGER),
          ],
          { error: SEED_EXPECTED },
        )
        .default('1')
        .transform(String)
        .describe('Seed for every random choice: same file and seed, same outcomes. Quote it to keep leading zeros.'),
      start: z
        .string({ error: START_EXPECTED })
        .regex(START_PATTERN)
        .refine((t) => normaliseStart(t) !== undefined, { error: START_EXPECTED })
        .default('2026-01-05T00:00:00Z')
        .transform((t) => normaliseStart(t) ?? t)
        .describe('Simulated time of step 0, UTC.'),
      days: integerIn(1, MAX_DAYS).default(DEFAULT_DAYS).describe('Length of the run, days.'),
      stepMinutes: z
        .literal(STEP_MINUTES, { error: `expected one of ${STEP_MINUTES.join(', ')} (minutes that divide a day)` })
        .default(60)
        .describe('Length of one clock step, minutes.'),
      fleet: fleetSchema(),
      dcc: dccSchema(),
      events: z
        .array(eventSchema(mode.pluginEventTypes, mode.forEditors), {
          error: 'expected a list of at most 10000 events',
        })
        .max(10_000)
        .prefault([])
        .describe('The timeline: what happens when.'),
      plugins,
    })
    .describe('A gbfleet scenario.');
}

/**
 * Checks between sections: events fall inside the run and name the file's suppliers. They read
 * the raw input (with the defaults for `days` and `fleet.suppliers`) rather than run as a zod
 * refinement, because zod skips refinements once any field failed hard (a non-integer, say),
 * and every problem is to be reported at once. A field that already has an issue is skipped.
 */
function crossChecks(input: unknown, earlier: readonly ScenarioIssue[]): ScenarioIssue[] {
  const at = (path: string) => earlier.some((i) => i.path === path);
  const under = (path: string) =>
    earlier.some((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
  const out: ScenarioIssue[] = [];
  if (!isRecord(input)) return out;
  const days = input.days === undefined ? DEFAULT_DAYS : input.days;
  const daysOk = typeof days === 'number' && Number.isInteger(days) && !at('days');
  const fleet = isRecord(input.fleet) ? input.fleet : undefined;
  const suppliers = fleet && !under('fleet.suppliers') ? (fleet.suppliers ?? DEFAULT_SUPPLIERS) : undefined;
  const names = Array.isArray(suppliers)
    ? suppliers.map((s: unknown) => (isRecord(s) ? String(s.name).trim() : ''))
    : undefined;
  const events = Array.isArray(input.events) ? input.events : [];

  events.forEach((event: unknown, i) => {
    if (!isRecord(event)) return;
    const { day, supplier } = event;
    if (daysOk && typeof day === 'number' && day >= (days as number) && !at(`events[${i}].day`)) {
      out.push({
        path: `events[${i}].day`,
        value: day,
        message: `got ${day}, expected a day from 0 to ${(days as number) - 1} (days is ${days}; days count from 0)`,
      });
    }
    if (event.type !== 'supplier-fails' || typeof supplier !== 'string' || names === undefined) return;
    if (names.includes(supplier.trim()) || at(`events[${i}].supplier`)) return;
    const near = closestName(supplier, names);
    out.push({
      path: `events[${i}].supplier`,
      value: supplier,
      message: `got ${JSON.stringify(supplier)}, expected one of ${names.map((n) => JSON.stringify(n)).join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
    });
  });
  return out;
}

/** Building the schema costs milliseconds; a run validates with the same plug-ins every time. */
const schemaCache = new Map<string, ReturnType<typeof scenarioSchema>>();

function validationSchema(pluginEventTypes: Map<string, string>, pluginSections: string[]) {
  const key = JSON.stringify([[...pluginEventTypes], pluginSections]);
  let schema = schemaCache.get(key);
  if (schema === undefined) {
    if (schemaCache.size >= 16) schemaCache.clear();
    schema = scenarioSchema({ pluginEventTypes, pluginSections, forEditors: false });
    schemaCache.set(key, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Public API.

/**
 * Validates a plain value (what a YAML or JSON parser produced) into a complete ScenarioSpec.
 * Event types and `plugins:` sections beyond the core's are accepted only when `options` names
 * them. Throws ScenarioError (code GBF_SCENARIO) listing every problem; InvalidArgumentError if
 * `options` itself is malformed.
 */
export function parseScenario(value: unknown, options: ParseScenarioOptions = {}): ScenarioSpec {
  const schema = validationSchema(
    checkPluginEventTypes(options.pluginEventTypes),
    checkPluginSections(options.pluginSections),
  );
  // The fields each strict object allows, by path, for "did you mean" on unknown keys: zod's
  // final issues no longer carry the schema, but its error map sees it.
  const fieldsAt = new Map<string, string[]>();
  const result = schema.safeParse(value, {
    error: (iss) => {
      const shape = (iss.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
      const fields = shape ? Object.keys(shape) : undefined;
      if (iss.code === 'unrecognized_keys' && fields) fieldsAt.set(formatPath(iss.path ?? []), fields);
      if (iss.code === 'invalid_type' && iss.expected === 'object') {
        return fields ? `expected a mapping with fields ${fields.join(', ')}` : 'expected a mapping';
      }
      if (iss.code === 'invalid_type' && iss.expected === 'array') return 'expected a list';
      return undefined;
    },
  });
  const issues = result.success ? [] : toScenarioIssues(result.error.issues, value, fieldsAt);
  issues.push(...crossChecks(value, issues));
  if (issues.length > 0) throw new ScenarioError(issues);
  const spec: ScenarioSpec = result.data!;
  return spec;
}

/**
 * JSON Schema (draft 2020-12) of the scenario file, for editors (`# yaml-language-server:
 * $schema=…`). It describes what a user writes: defaulted fields are optional and show their
 * default. Cross-field rules (sums, unique names, event days) are not expressible and are left
 * to parseScenario. Event types other than the core ones are accepted loosely.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = scenarioSchema({ pluginEventTypes: new Map(), pluginSections: undefined, forEditors: true });
  // io 'input': the schema of what users write (defaults make fields optional). Anything zod
  // cannot express throws here rather than quietly becoming `{}`.
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, description: _, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'gbfleet scenario',
    description:
      'A gbfleet scenario file: the fleet, the DCC rules and a timeline of events. Only name and fleet.meters are required; see docs/scenarios.md.',
    ...rest,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function checkPluginEventTypes(types: Record<string, string> | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (types === undefined) return map;
  if (!isRecord(types)) throw new InvalidArgumentError('pluginEventTypes must map event type to plug-in name');
  for (const [type, plugin] of Object.entries(types)) {
    if ((CORE_EVENT_TYPES as readonly string[]).includes(type)) {
      throw new InvalidArgumentError(`plug-in ${JSON.stringify(plugin)} registers core event type "${type}"`);
    }
    if (type === '' || typeof plugin !== 'string' || plugin === '') {
      throw new InvalidArgumentError(
        `pluginEventTypes: ${JSON.stringify(type)} needs a non-empty type and plug-in name`,
      );
    }
    map.set(type, plugin);
  }
  return map;
}

function checkPluginSections(sections: string[] | undefined): string[] {
  if (sections === undefined) return [];
  if (!Array.isArray(sections) || sections.some((s) => typeof s !== 'string' || s === '')) {
    throw new InvalidArgumentError('pluginSections must be a list of non-empty plug-in names');
  }
  return sections;
}

/** The value at `path` in the raw input, own properties only (no prototype lookups). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isRecord(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Hints for the usual YAML slips: quoted or separated numbers, yes/no for booleans. */
function hint(message: string, value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/\b(number|integer|share)\b/.test(message) && /^\s*[-+]?[\d_,.]+\s*$/.test(value)) {
    return ' (write the number without quotes or digit separators)';
  }
  if (message.includes('true or false') && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return ' (YAML 1.2 reads yes/no/on/off as text)';
  }
  return '';
}

function toScenarioIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  fieldsAt: ReadonlyMap<string, string[]>,
): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      const fields = fieldsAt.get(formatPath(iss.path)) ?? [];
      for (const key of iss.keys) {
        const path = [...iss.path, key];
        const near = closestName(key, fields);
        const message = near
          ? `unknown field (did you mean ${JSON.stringify(near)}?)`
          : `unknown field, expected one of ${fields.join(', ')}`;
        out.push({ path: formatPath(path), value: valueAt(input, path), message });
      }
      continue;
    }
    const value = valueAt(input, iss.path);
    const message = iss.message.startsWith('expected ')
      ? `${value === undefined ? 'missing' : `got ${describeValue(value)}`}, ${iss.message}${hint(iss.message, value)}`
      : iss.message;
    out.push({ path: formatPath(iss.path), value, message });
  }
  return out;
}

export { SEED_MAX_LENGTH } from './scenario-fields.js';
