/**
 * What a scenario asks of the UTRN plug-in: the `plugins.utrn` section (command set, consumer
 * behaviour, site visits, fall-backs, DP092 maintenance rules) and the parameters of its three
 * timeline events (`utrn-surge`, `dcc-maintenance`, `no-wan-resolution`). Validated before
 * anything runs, every problem named by field, value and what is allowed; defaults filled in.
 */
import { quoted, ScenarioError, type ScenarioSpec, SectionReader, type TimelineEventSpec } from '@gbfleet/core';

export const SECTION = 'plugins.utrn';
export const EVENT_SURGE = 'utrn-surge';
export const EVENT_MAINTENANCE = 'dcc-maintenance';
export const EVENT_RESOLUTION = 'no-wan-resolution';
export const UTRN_EVENT_TYPES = [EVENT_SURGE, EVENT_MAINTENANCE, EVENT_RESOLUTION] as const;

/**
 * `top-up-only`: SMETS2 today, 20-digit top-ups only. `extended`: gbfleet's 40/60-digit codes too.
 * `compare`: half the meters each (by a hash of the meter), so one run compares both.
 */
export const COMMAND_SETS = ['top-up-only', 'extended', 'compare'] as const;
export type CommandSetChoice = (typeof COMMAND_SETS)[number];
export type CommandSet = Exclude<CommandSetChoice, 'compare'>;

export interface ConsumerModel {
  /** Hours from a code's issue to the consumer sitting down to type it: exponential, capped. */
  entryDelayHours: { mean: number; max: number };
  /** Codes are typed only in these hours of the day [from, to). */
  awakeHours: { from: number; to: number };
  /** Chance of a slip per digit typed (an attempt at a 20-digit code slips with 1 − (1 − p)^20). */
  digitErrorRate: number;
  /** Of attempts that slip, the share with a second slip (which can get past the check digit). */
  secondSlipShare: number;
  /** Attempts in one sitting before the consumer stops. */
  attemptsPerSitting: number;
  /** Sittings before the consumer gives up on a code (then a site visit is needed). */
  sittings: number;
  retryAfterHours: number;
  /** Chance, per 20 digits of code, that the consumer never types it in. */
  neverEnterShare: number;
}

export interface SurgeMix {
  credit: number;
  emergencyCredit: number;
  nonDisconnect: number;
  friendlyCredit: number;
}

export interface SurgeSpec {
  /** Index in spec.events (for messages). */
  event: number;
  day: number;
  hour: number;
  supplier: string;
  messages: number;
  /** The fleet size `messages` is for; the count scales with the fleet when it differs. */
  forMeters: number | null;
  hours: number;
  /** Share of the messages that go to the supplier's meters without WAN; null: fleet.wan.none. */
  noWanShare: number | null;
  mix: SurgeMix;
  creditPounds: number;
  emergencyCreditPounds: number;
}

export type MaintenanceImpact = 'high' | 'low';

export interface MaintenanceEventSpec {
  event: number;
  day: number;
  hour: number;
  hours: number;
  impact: MaintenanceImpact;
}

export interface ResolutionSpec {
  event: number;
  day: number;
  hour: number;
  /** Share of the meters without WAN whose incident is raised now. */
  share: number;
  /** Most are restored within this many days (DCC: 90 days, 99 % of cases)… */
  maxDays: number;
  withinShare: number;
  /** …the rest by this many. */
  lateMaxDays: number;
  to: 'good' | 'intermittent';
}

export interface UtrnConfig {
  commandSet: CommandSetChoice;
  consumer: ConsumerModel;
  siteVisitHours: { min: number; max: number };
  /** Surge messages go as UTRN when the WAN lost them / when the DCC is down (if the set can carry them). */
  fallback: { wanLost: boolean; wanDown: boolean };
  /** DP092 windows generated each month; null: only the `dcc-maintenance` events of the file. */
  maintenance: { highImpactPerMonth: number; lowImpactPerMonth: number; hours: number } | null;
  surges: SurgeSpec[];
  maintenanceEvents: MaintenanceEventSpec[];
  resolutions: ResolutionSpec[];
}

const ROOT = ['commandSet', 'consumer', 'siteVisitHours', 'fallback', 'maintenance'];
const CONSUMER = [
  'entryDelayHours',
  'awakeHours',
  'digitErrorRate',
  'secondSlipShare',
  'attemptsPerSitting',
  'sittings',
  'retryAfterHours',
  'neverEnterShare',
];
const SURGE = [
  'supplier',
  'messages',
  'forMeters',
  'hours',
  'noWanShare',
  'mix',
  'creditPounds',
  'emergencyCreditPounds',
];
const MIX = ['credit', 'emergencyCredit', 'nonDisconnect', 'friendlyCredit'];
const MAINTENANCE = ['hours', 'impact'];
const RESOLUTION = ['share', 'maxDays', 'withinShare', 'lateMaxDays', 'to'];
const SHARE_TOLERANCE = 1e-9;

export const DEFAULT_MIX: SurgeMix = { credit: 0.4, emergencyCredit: 0.3, nonDisconnect: 0.2, friendlyCredit: 0.1 };

/** The validated configuration, or null when the scenario uses neither the section nor the events. */
export function parseUtrnConfig(spec: ScenarioSpec): UtrnConfig | null {
  const raw = spec.plugins.utrn;
  const ours = spec.events.some((e) => (UTRN_EVENT_TYPES as readonly string[]).includes(e.type));
  if (raw === undefined && !ours) return null;
  const r = new SectionReader();
  // Read in this order, so issues come in the order of the file's reference.
  const root = r.section(raw, SECTION, ROOT);
  const consumer = readConsumer(r, root.consumer);
  const siteVisitHours = readSiteVisitHours(r, root.siteVisitHours);
  const fb = r.section(root.fallback, `${SECTION}.fallback`, ['wanLost', 'wanDown']);
  const maintenance = readMaintenanceRules(r, root.maintenance);
  const config: UtrnConfig = {
    commandSet: r.oneOfOr(root.commandSet, `${SECTION}.commandSet`, COMMAND_SETS, 'compare'),
    consumer,
    siteVisitHours,
    fallback: {
      wanLost: r.booleanOr(fb.wanLost, `${SECTION}.fallback.wanLost`, true),
      wanDown: r.booleanOr(fb.wanDown, `${SECTION}.fallback.wanDown`, true),
    },
    maintenance,
    surges: [],
    maintenanceEvents: [],
    resolutions: [],
  };
  spec.events.forEach((event, i) => {
    readEvent(r, spec, event, i, config);
  });
  if (r.issues.length > 0) throw new ScenarioError(r.issues);
  return config;
}

function readConsumer(r: SectionReader, raw: unknown): ConsumerModel {
  const c = r.section(raw, `${SECTION}.consumer`, CONSUMER);
  const at = (field: string) => `${SECTION}.consumer.${field}`;
  const delay = r.section(c.entryDelayHours, at('entryDelayHours'), ['mean', 'max']);
  const awake = r.section(c.awakeHours, at('awakeHours'), ['from', 'to']);
  const consumer: ConsumerModel = {
    entryDelayHours: {
      mean: r.numberOr(delay.mean, `${at('entryDelayHours')}.mean`, 0, 720, 6, 'a number of hours'),
      max: r.numberOr(delay.max, `${at('entryDelayHours')}.max`, 0, 2160, 72, 'a number of hours'),
    },
    awakeHours: {
      from: r.integerOr(awake.from, `${at('awakeHours')}.from`, 0, 23, 7),
      to: r.integerOr(awake.to, `${at('awakeHours')}.to`, 0, 23, 23),
    },
    digitErrorRate: r.numberOr(c.digitErrorRate, at('digitErrorRate'), 0, 0.5, 0.004, 'a chance'),
    secondSlipShare: r.shareOr(c.secondSlipShare, at('secondSlipShare'), 0.25),
    attemptsPerSitting: r.integerOr(c.attemptsPerSitting, at('attemptsPerSitting'), 1, 16, 3),
    sittings: r.integerOr(c.sittings, at('sittings'), 1, 20, 2),
    retryAfterHours: r.numberOr(c.retryAfterHours, at('retryAfterHours'), 0, 720, 6, 'a number of hours'),
    neverEnterShare: r.shareOr(c.neverEnterShare, at('neverEnterShare'), 0.02),
  };
  if (consumer.entryDelayHours.max < consumer.entryDelayHours.mean) {
    r.fail(`${at('entryDelayHours')}.max`, consumer.entryDelayHours.max, 'expected at least entryDelayHours.mean');
  }
  if (consumer.awakeHours.from === consumer.awakeHours.to) {
    r.fail(`${at('awakeHours')}.to`, consumer.awakeHours.to, 'expected an hour other than awakeHours.from');
  }
  return consumer;
}

function readSiteVisitHours(r: SectionReader, raw: unknown): UtrnConfig['siteVisitHours'] {
  const visit = r.section(raw, `${SECTION}.siteVisitHours`, ['min', 'max']);
  const hours = {
    min: r.numberOr(visit.min, `${SECTION}.siteVisitHours.min`, 0, 8760, 24, 'a number of hours'),
    max: r.numberOr(visit.max, `${SECTION}.siteVisitHours.max`, 0, 8760, 120, 'a number of hours'),
  };
  if (hours.max < hours.min) {
    r.fail(`${SECTION}.siteVisitHours.max`, hours.max, `expected at least siteVisitHours.min (${hours.min})`);
  }
  return hours;
}

/** DP092 windows to generate each month; null (no generated windows) when the field is absent or null. */
function readMaintenanceRules(r: SectionReader, raw: unknown): UtrnConfig['maintenance'] {
  if (raw === undefined || raw === null) return null;
  const path = `${SECTION}.maintenance`;
  const m = r.section(raw, path, ['highImpactPerMonth', 'lowImpactPerMonth', 'hours']);
  return {
    highImpactPerMonth: r.integerOr(m.highImpactPerMonth, `${path}.highImpactPerMonth`, 0, 1, 1),
    lowImpactPerMonth: r.integerOr(m.lowImpactPerMonth, `${path}.lowImpactPerMonth`, 0, 3, 3),
    hours: r.integerOr(m.hours, `${path}.hours`, 1, 6, 6),
  };
}

/** One of the plug-in's events, added to `config` (other events are the core's or other plug-ins'). */
function readEvent(
  r: SectionReader,
  spec: ScenarioSpec,
  event: TimelineEventSpec,
  i: number,
  config: UtrnConfig,
): void {
  const path = `events[${i}]`;
  const base = { event: i, day: event.day, hour: event.hour };
  if (event.type === EVENT_SURGE) config.surges.push({ ...base, ...readSurge(r, spec, event.params, path) });
  else if (event.type === EVENT_MAINTENANCE) {
    config.maintenanceEvents.push({ ...base, ...readMaintenanceEvent(r, event.params, path) });
  } else if (event.type === EVENT_RESOLUTION) {
    config.resolutions.push({ ...base, ...readResolution(r, event.params, path) });
  }
}

type EventFields<T> = Omit<T, 'event' | 'day' | 'hour'>;

function readSurge(
  r: SectionReader,
  spec: ScenarioSpec,
  p: Record<string, unknown>,
  path: string,
): EventFields<SurgeSpec> {
  r.mapping(p, path, SURGE);
  const suppliers = spec.fleet.suppliers.map((s) => s.name);
  let supplier = '';
  if (typeof p.supplier === 'string' && suppliers.includes(p.supplier)) supplier = p.supplier;
  else r.fail(`${path}.supplier`, p.supplier, `expected one of ${quoted(suppliers)} (fleet.suppliers)`);
  r.required(p.messages, `${path}.messages`, 'expected an integer from 1 to 100000000');
  const mix = readMix(r, p.mix, `${path}.mix`);
  return {
    supplier,
    messages: r.integerOr(p.messages, `${path}.messages`, 1, 100_000_000, 0),
    forMeters: p.forMeters === undefined ? null : r.integerOr(p.forMeters, `${path}.forMeters`, 1, 50_000_000, 1),
    hours: r.integerOr(p.hours, `${path}.hours`, 1, 8760, 48),
    noWanShare: p.noWanShare === undefined ? null : r.shareOr(p.noWanShare, `${path}.noWanShare`, 0),
    mix,
    creditPounds: r.integerOr(p.creditPounds, `${path}.creditPounds`, 1, 8191, 10),
    emergencyCreditPounds: r.integerOr(p.emergencyCreditPounds, `${path}.emergencyCreditPounds`, 0, 100_000, 30),
  };
}

/** A surge's mix of messages: shares that sum to 1, or DEFAULT_MIX when absent. */
function readMix(r: SectionReader, raw: unknown, path: string): SurgeMix {
  if (raw === undefined) return { ...DEFAULT_MIX };
  const m = r.mapping(raw, path, MIX);
  if (!m) return { ...DEFAULT_MIX };
  const mix: SurgeMix = {
    credit: r.shareOr(m.credit, `${path}.credit`, 0),
    emergencyCredit: r.shareOr(m.emergencyCredit, `${path}.emergencyCredit`, 0),
    nonDisconnect: r.shareOr(m.nonDisconnect, `${path}.nonDisconnect`, 0),
    friendlyCredit: r.shareOr(m.friendlyCredit, `${path}.friendlyCredit`, 0),
  };
  const sum = mix.credit + mix.emergencyCredit + mix.nonDisconnect + mix.friendlyCredit;
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
    r.fail(path, raw, `expected shares that sum to 1 (these sum to ${Number(sum.toPrecision(12))})`);
  }
  return mix;
}

function readMaintenanceEvent(
  r: SectionReader,
  p: Record<string, unknown>,
  path: string,
): EventFields<MaintenanceEventSpec> {
  r.mapping(p, path, MAINTENANCE);
  r.required(p.hours, `${path}.hours`, 'expected an integer from 1 to 6 (DP092: at most six hours)');
  r.required(p.impact, `${path}.impact`, `expected one of ${quoted(['high', 'low'])}`);
  return {
    hours: r.integerOr(p.hours, `${path}.hours`, 1, 6, 1),
    impact: r.oneOfOr(p.impact, `${path}.impact`, ['high', 'low'] as const, 'low'),
  };
}

function readResolution(r: SectionReader, p: Record<string, unknown>, path: string): EventFields<ResolutionSpec> {
  r.mapping(p, path, RESOLUTION);
  const maxDays = r.numberOr(p.maxDays, `${path}.maxDays`, 0, 3650, 90, 'a number of days');
  const lateMaxDays = r.numberOr(p.lateMaxDays, `${path}.lateMaxDays`, 0, 3650, 2 * maxDays, 'a number of days');
  if (lateMaxDays < maxDays) r.fail(`${path}.lateMaxDays`, p.lateMaxDays, `expected at least maxDays (${maxDays})`);
  return {
    share: r.shareOr(p.share, `${path}.share`, 1),
    maxDays,
    withinShare: r.shareOr(p.withinShare, `${path}.withinShare`, 0.99),
    lateMaxDays,
    to: r.oneOfOr(p.to, `${path}.to`, ['good', 'intermittent'] as const, 'good'),
  };
}
