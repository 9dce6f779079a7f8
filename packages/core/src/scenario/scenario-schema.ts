/**
 * The scenario file's schema: what a planner may write, the default for everything left out,
 * and the checks that span fields (shares sum to 1, names are unique, events fall inside the run
 * and name real suppliers). Core does no I/O: `parseScenario` takes the plain value a YAML or
 * JSON parser produced and returns a complete ScenarioSpec, or throws one ScenarioError that
 * lists every problem. Unknown keys are errors, so a typo never silently becomes a default.
 */
import * as z from 'zod';
import { InvalidArgumentError } from '../errors.js';
import { closestName, describeValue, formatPath, ScenarioError, type ScenarioIssue } from './scenario-error.js';
import type { ScenarioSpec, TimelineEventSpec } from './scenario-spec.js';

export { ScenarioError, type ScenarioIssue } from './scenario-error.js';

/** Step lengths the clock supports: each divides a day, so every day has whole steps. */
export const STEP_MINUTES = [15, 30, 60, 120, 180, 240, 360, 720, 1440] as const;
export const CORE_EVENT_TYPES = ['weather-surge', 'dcc-outage', 'supplier-fails'] as const;
export const MAX_METERS = 50_000_000;
export const MAX_DAYS = 3650;
export const SCENARIO_SCHEMA_ID = 'urn:gbfleet:scenario-schema';
/** Shares are decimals typed by people: 0.1 + 0.2 must still count as 0.3. */
const SHARE_TOLERANCE = 1e-9;
const MAX_EVENT_HOURS = MAX_DAYS * 24;
const DEFAULT_DAYS = 30;

export interface ParseScenarioOptions {
  /** Event types that loaded plug-ins handle, each mapped to its plug-in's name. */
  pluginEventTypes?: Record<string, string>;
  /** Names of the `plugins:` sections that loaded plug-ins read. */
  pluginSections?: string[];
}

// ---------------------------------------------------------------------------------------------
// Leaves. Each carries its own "expected …" text; toScenarioIssues puts "got <value>, " before it.

const numberIn = (min: number, max: number, what = 'a number') =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .min(min)
    .max(max);
const integerIn = (min: number, max: number) =>
  z
    .number({ error: `expected an integer from ${min} to ${max}` })
    .int()
    .min(min)
    .max(max);
const share = () => numberIn(0, 1, 'a share');
const flag = () => z.boolean({ error: 'expected true or false' });
const partyName = () =>
  z.string({ error: 'expected a non-empty name of at most 100 characters' }).trim().min(1).max(100);

const SEED_EXPECTED = 'expected a non-empty string of at most 200 characters or a whole number';
const START_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;
const START_EXPECTED = 'expected a UTC date-time like 2026-01-05T00:00:00Z (or a date like 2026-01-05)';

/** `2026-01-05` or `2026-01-05T06:00Z` → `2026-01-05T06:00:00Z`; undefined if no such instant. */
function normaliseStart(text: string): string | undefined {
  const m = START_PATTERN.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = m.slice(1) as string[];
  const wanted = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that (and years before 100).
  return Number.isFinite(ms) && new Date(ms).toISOString().replace('.000Z', 'Z') === wanted ? wanted : undefined;
}

function sumsToOne(parts: Array<[label: string, share: number]>, ctx: z.core.$RefinementCtx<unknown>): void {
  const sum = parts.reduce((total, [, s]) => total + s, 0);
  if (Math.abs(sum - 1) <= SHARE_TOLERANCE) return;
  const terms = parts.map(([label, s]) => `${label} ${s}`).join(' + ');
  ctx.addIssue({ code: 'custom', message: `shares must sum to 1, got ${Number(sum.toPrecision(12))} (${terms})` });
}

/** A group of shares that must sum to 1; each member has its own default. */
function shareGroup<K extends string>(
  members: Record<K, [fallback: number, description: string]>,
): z.ZodType<Record<K, number>, Partial<Record<K, number>> | undefined> {
  const shape: Record<string, z.ZodDefault<z.ZodNumber>> = {};
  for (const [key, [fallback, description]] of Object.entries<[number, string]>(members)) {
    shape[key] = share().default(fallback).describe(description);
  }
  const group = z
    .strictObject(shape)
    .superRefine((g, ctx) => sumsToOne(Object.entries(g), ctx))
    .prefault({});
  // The shape was built key by key, so zod only sees Record<string, …>; the keys are K.
  return group as unknown as z.ZodType<Record<K, number>, Partial<Record<K, number>> | undefined>;
}

/** `{ min, max }` with defaults and min ≤ max. */
function rangeOf(leaf: () => z.ZodNumber, min: number, max: number) {
  return z
    .strictObject({ min: leaf().default(min), max: leaf().default(max) })
    .superRefine((r, ctx) => {
      if (r.min > r.max)
        ctx.addIssue({ code: 'custom', message: `got min ${r.min} and max ${r.max}, expected min ≤ max` });
    })
    .prefault({});
}

/** Names must be unique (ignoring case, so "aurora" cannot shadow "Aurora"). */
function uniqueNames(list: ReadonlyArray<{ name: string }>, where: string, ctx: z.core.$RefinementCtx<unknown>): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const key = item.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `got ${JSON.stringify(item.name)}, expected a name not used before (${where}[${first}] has it)`,
      });
  });
}

// ---------------------------------------------------------------------------------------------
// Sections.

const DEFAULT_SUPPLIERS = [
  { name: 'Aurora Energy', share: 0.45, srp: false },
  { name: 'Beacon Power', share: 0.35, srp: true },
  { name: 'Cobalt Supply', share: 0.2, srp: true },
];
const DEFAULT_NETWORK_OPERATORS = [
  { name: 'Northern Networks', share: 0.5 },
  { name: 'Southern Grid', share: 0.5 },
];

function supplierSchema() {
  return z
    .strictObject({
      name: partyName().describe('Unique name; events refer to the supplier by it.'),
      share: share().describe("Share of meters whose registered supplier this is; all suppliers' shares sum to 1."),
      srp: flag().default(false).describe('Whether a Shared Resource Provider runs its systems and holds its keys.'),
      unitPencePerKwh: numberIn(0, 1000).default(27).describe('Unit price, pence per kWh.'),
      standingChargePencePerDay: numberIn(0, 10_000).default(53).describe('Standing charge, pence per day.'),
      creditCoverPence: integerIn(0, 1_000_000_000_000)
        .default(5_000_000)
        .describe('DCC credit cover the party has lodged, pence.'),
      dccChargePencePerMeterMonth: numberIn(0, 10_000).default(30).describe('DCC charges per meter per month, pence.'),
      // Optional without a default, so a spec without it is unchanged (the engine reads `?? meters`).
      meterPoints: integerIn(0, 100_000_000)
        .nullable()
        .optional()
        .describe(
          'Meter points the DCC charges this party for each month (its national portfolio); left out or null: its meters in the simulated fleet.',
        ),
      prepaymentShare: share()
        .nullable()
        .default(null)
        .describe("Share of this supplier's meters on prepayment; null: fleet.paymentMode.prepayment."),
    })
    .describe('A supplier (SEC party) and its prices.');
}

function fleetSchema() {
  const suppliers = z
    .array(supplierSchema(), { error: 'expected a list of 1 to 1000 suppliers' })
    .min(1)
    .max(1000)
    .superRefine((list, ctx) => {
      uniqueNames(list, 'fleet.suppliers', ctx);
      sumsToOne(
        list.map((s) => [JSON.stringify(s.name), s.share]),
        ctx,
      );
    })
    .prefault(DEFAULT_SUPPLIERS)
    .describe('Suppliers and their shares of the fleet.');
  const networkOperators = z
    .array(
      z.strictObject({
        name: partyName().describe('Unique name.'),
        share: share().describe("Share of meters on this operator's network; all shares sum to 1."),
      }),
      { error: 'expected a list of 1 to 100 network operators' },
    )
    .min(1)
    .max(100)
    .superRefine((list, ctx) => {
      uniqueNames(list, 'fleet.networkOperators', ctx);
      sumsToOne(
        list.map((o) => [JSON.stringify(o.name), o.share]),
        ctx,
      );
    })
    .prefault(DEFAULT_NETWORK_OPERATORS)
    .describe('Electricity and gas network operators and their shares of the fleet.');

  return z
    .strictObject({
      meters: integerIn(1, MAX_METERS).describe('Number of meters in the fleet.'),
      fuel: shareGroup({
        electricity: [0.55, 'Share of electricity meters.'],
        gas: [0.45, 'Share of gas meters.'],
      }).describe('Shares by fuel; they sum to 1.'),
      paymentMode: shareGroup({
        prepayment: [0.15, 'Share of prepayment meters.'],
        credit: [0.85, 'Share of credit meters.'],
      }).describe('Shares by payment mode; they sum to 1.'),
      wan: shareGroup({
        good: [0.88, 'Share of meters with good WAN.'],
        intermittent: [0.03, 'Share of meters with intermittent WAN.'],
        none: [0.09, 'Share of meters with no WAN (DP094: about 9 %).'],
      }).describe('Shares by WAN class; they sum to 1.'),
      vulnerableShare: share().default(0.12).describe('Share of consumers on the priority services register.'),
      meterSchedules: z
        .strictObject({
          share: share().default(0).describe('Share of meters whose own (meter-held) schedules send alerts.'),
          alertsPerDay: integerIn(0, 24).default(3).describe('Scheduled alerts such a meter sends a day.'),
          readsPerDay: integerIn(0, 24).default(1).describe('How many of them carry consumption readings.'),
        })
        .superRefine((m, ctx) => {
          if (m.readsPerDay > m.alertsPerDay)
            ctx.addIssue({
              code: 'custom',
              path: ['readsPerDay'],
              message: `got ${m.readsPerDay}, expected at most alertsPerDay (${m.alertsPerDay})`,
            });
        })
        .prefault({})
        .describe('Meter-held schedules: alerts sent to whoever holds the supplier cell.'),
      suppliers,
      networkOperators,
      consumption: z
        .strictObject({
          meanKwhPerDay: numberIn(0, 1000).default(8).describe('Mean daily consumption across the fleet, kWh.'),
          spread: numberIn(0, 1)
            .default(0.5)
            .describe('Spread of per-meter means around it: 0 = all equal, 0.5 = ±50 % uniform.'),
        })
        .prefault({})
        .describe('Consumption.'),
      prepayment: z
        .strictObject({
          initialCreditPounds: rangeOf(() => numberIn(0, 10_000), 2, 30).describe(
            'Credit each prepayment meter starts with, pounds: uniform between min and max.',
          ),
          emergencyCreditPounds: numberIn(0, 1000).default(10).describe('Emergency-credit limit, pounds.'),
          lowCreditPounds: numberIn(0, 1000).default(5).describe('Low-credit alert threshold, pounds.'),
          friendlyHours: z
            .strictObject({
              from: integerIn(0, 23).default(16).describe('First friendly hour of the day (local).'),
              to: integerIn(0, 23).default(8).describe('Hour the friendly period ends (exclusive).'),
            })
            .superRefine((h, ctx) => {
              if (h.from === h.to)
                ctx.addIssue({
                  code: 'custom',
                  message: `got from ${h.from} and to ${h.to}, expected different hours (for no friendly hours set friendlyHoursShare: 0)`,
                });
            })
            .prefault({})
            .describe('Friendly (non-disablement) hours, local hour of day: [from, to), may wrap past midnight.'),
          friendlyHoursShare: share()
            .default(1)
            .describe('Share of prepayment meters whose calendar holds friendly hours.'),
        })
        .prefault({})
        .describe('Prepayment meters.'),
      topUp: z
        .strictObject({
          thresholdPounds: numberIn(0, 1000)
            .default(5)
            .describe('Consumers think about topping up when credit falls below this, pounds.'),
          probabilityPerHour: share()
            .default(0.08)
            .describe('Chance per hour that a consumer below the threshold (or off supply) tops up.'),
          amountPounds: rangeOf(() => integerIn(1, 1000), 10, 30).describe(
            'How much, whole pounds: uniform between min and max.',
          ),
        })
        .prefault({})
        .describe('How prepayment consumers top up.'),
    })
    .describe('The meters: how many, and how they split by fuel, payment, WAN, supplier and network.');
}

function dccSchema() {
  return z
    .strictObject({
      adt: z
        .strictObject({
          periodHours: integerIn(1, 8760).default(24).describe('Length of an ADT counting period, hours.'),
          thresholdPerParty: integerIn(1, 1_000_000_000)
            .default(100_000)
            .describe('Critical commands a party may send per period before the DCC quarantines the rest.'),
          releaseAfterHours: z
            .number({ error: 'expected an integer from 0 to 8760, or null (quarantined commands are deleted)' })
            .int()
            .min(0)
            .max(8760)
            .nullable()
            .default(24)
            .describe('Hours a quarantined command waits before release; null: deleted, never released.'),
        })
        .prefault({})
        .describe('Anomaly Detection Thresholds.'),
      wan: z
        .strictObject({
          intermittentDelayShare: share()
            .default(0.3)
            .describe('Chance that a command to an intermittent-WAN meter is delayed.'),
          intermittentDelayHours: integerIn(1, 720).default(6).describe('How long such a delay lasts, hours.'),
          intermittentLossShare: share()
            .default(0.05)
            .describe('Chance that a command to an intermittent-WAN meter is lost.'),
        })
        .superRefine((w, ctx) => {
          const sum = w.intermittentDelayShare + w.intermittentLossShare;
          if (sum > 1 + SHARE_TOLERANCE)
            ctx.addIssue({
              code: 'custom',
              message: `delay and loss are exclusive outcomes, so their shares must sum to at most 1, got ${Number(sum.toPrecision(12))} (intermittentDelayShare ${w.intermittentDelayShare} + intermittentLossShare ${w.intermittentLossShare})`,
            });
        })
        .prefault({})
        .describe('WAN delivery to intermittent-WAN meters (no-WAN meters never receive).'),
      alertPolicy: z
        .enum(['none', 'dcc-schedules', 'filter-non-critical'])
        .default('none')
        .describe(
          'What the DCC does about alerts to a party that is not the registered supplier: none; dcc-schedules (readings come from DCC-held schedules, validated against registration); filter-non-critical (drops non-critical alerts to such a party).',
        ),
    })
    .prefault({})
    .describe('DCC rules.');
}

// ---------------------------------------------------------------------------------------------
// Events: `{ day, hour, type, ...params }` in the file, `{ day, hour, type, params }` in the spec.

function eventSchema(pluginEventTypes: ReadonlyMap<string, string>, forEditors: boolean) {
  const base = {
    day: integerIn(0, MAX_DAYS - 1).describe('Day of the run, counted from 0; less than `days`.'),
    hour: integerIn(0, 23)
      .default(0)
      .describe(
        'Hour of that run day, 0 to 23, counted from the time of day of `start`; the event fires in the step holding it.',
      ),
  };
  const hours = () => integerIn(1, MAX_EVENT_HOURS);
  const core = [
    z
      .strictObject({
        ...base,
        type: z.literal('weather-surge'),
        multiplier: z
          .number({ error: 'expected a number greater than 0 and at most 10' })
          .gt(0)
          .max(10)
          .describe('Consumption multiplier while the surge lasts (1.6 = +60 %).'),
        hours: hours().describe('How long the surge lasts, hours.'),
      })
      .describe('Extreme weather: consumption multiplied for a while.'),
    z
      .strictObject({ ...base, type: z.literal('dcc-outage'), hours: hours().describe('How long, hours.') })
      .describe('The DCC carries no commands for a while.'),
    z
      .strictObject({
        ...base,
        type: z.literal('supplier-fails'),
        supplier: z
          .string({ error: 'expected the name of a supplier in fleet.suppliers' })
          .trim()
          .min(1)
          .describe('Name of a supplier in fleet.suppliers.'),
        unpaidMonths: integerIn(1, 120)
          .optional()
          .describe(
            'Months of DCC charges the failed party leaves unpaid, counting its failure month, before the DCC stops charging it; left out: to the end of the run.',
          ),
      })
      .describe('A supplier ceases trading (a plug-in such as SoLR decides what follows).'),
  ] as const;
  const toSpec = ({ day, hour, type, ...params }: { day: number; hour: number; type: string }): TimelineEventSpec => ({
    day,
    hour,
    type,
    params,
  });

  if (forEditors) {
    // An editor cannot know which plug-ins a run loads: accept any other kebab-case type loosely.
    const notCore = new RegExp(`^(?!(?:${CORE_EVENT_TYPES.join('|')})$)[a-z0-9][a-z0-9-]*$`);
    const other = z
      .looseObject({ ...base, type: z.string().regex(notCore).describe('An event type a plug-in registered.') })
      .describe("An event a plug-in handles; its other fields are the plug-in's parameters.");
    return z.union([...core, other]).transform(toSpec);
  }

  const allowed = [
    ...CORE_EVENT_TYPES.map((t) => JSON.stringify(t)),
    ...[...pluginEventTypes].map(([t, plugin]) => `${JSON.stringify(t)} (plug-in ${plugin})`),
  ];
  const plugin = [...pluginEventTypes.keys()].map((t) => z.looseObject({ ...base, type: z.literal(t) }));
  return z
    .discriminatedUnion('type', [...core, ...plugin], {
      error: (iss) => {
        // Typed as union issues only, but a non-mapping event raises invalid_type here too.
        if ((iss as { code: string }).code === 'invalid_type')
          return 'expected a mapping with day:, type: and the event parameters';
        if (iss.code !== 'invalid_union') return undefined;
        const given = isRecord(iss.input) ? iss.input.type : undefined;
        const near =
          typeof given === 'string' ? closestName(given, [...CORE_EVENT_TYPES, ...pluginEventTypes.keys()]) : undefined;
        return `expected one of ${allowed.join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
      },
    })
    .transform(toSpec);
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
            z.string({ error: SEED_EXPECTED }).trim().min(1).max(200),
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
