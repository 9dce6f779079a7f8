/**
 * What a scenario file says about a Gas Network Operator leaving the DCC (MP128): the timeline
 * events `gno-leaves` (who leaves, its counter scheme, when its certificate stops working, how many
 * GPFs a network sale leaves behind) and `gno-handover` (who comes in), and the `plugins.gno`
 * section (how fast each side sends, how often it retries, whether the DSP tracks the cell's
 * counter). Validated here with every problem named — field, value, what is allowed — before
 * anything runs.
 */
import { quoted, ScenarioError, type ScenarioSpec, SectionReader, stepAt } from '@gbfleet/core';

export const GNO_EVENT_TYPES = ['gno-leaves', 'gno-handover'] as const;

/** `on`: every GPF's 6.21 uses the recorded 6.15.1 counter + 1; `off`: the DSP's own counters; `compare`: both, by cohort. */
export const COUNTER_TRACKING = ['compare', 'on', 'off'] as const;
export type CounterTracking = (typeof COUNTER_TRACKING)[number];

/** Whoever sends a stream of commands at a steady rate, retrying failures. */
export interface SenderConfig {
  commandsPerHour: number;
  /** Attempts per GPF, the first included. */
  attempts: number;
  retryAfterHours: number;
}

export interface GnoConfig {
  leave: {
    /** Index into spec.events. */
    event: number;
    step: number;
    /** The departing GNO (a name in fleet.networkOperators). */
    operator: string;
    /** Its counters come from a clock this far ahead of the DSP's (see core's engine/originator-counter.ts). */
    counterLeadHours: number;
    /** Hours from the event until its DCC User status ends: its certificate is revoked at the DCC. */
    exitAfterHours: number;
    /** Network sale: share of its GPFs it never sends SRV 6.15.1 to. */
    missedShare: number;
  };
  handover: { event: number; step: number; to: string } | null;
  departingGno: SenderConfig;
  dsp: SenderConfig & { counterTracking: CounterTracking; trackingShare: number };
}

export const DEFAULT_SECTION = {
  departingGno: { commandsPerHour: 4000, attempts: 3, retryAfterHours: 24 },
  dsp: { counterTracking: 'compare', trackingShare: 0.5, commandsPerHour: 4000, attempts: 3, retryAfterHours: 72 },
} as const satisfies { departingGno: SenderConfig; dsp: GnoConfig['dsp'] };

export const DEFAULT_EXIT_AFTER_HOURS = 504;
/** Ten years, as the core's `hours` fields. */
const MAX_HOURS = 87_600;
/** Per step at most 2^24 - 1 commands (core's engine/originator-counter.ts); 500,000/h keeps daily steps inside. */
const MAX_PER_HOUR = 500_000;
const MAX_ATTEMPTS = 100;

const SECTION = 'plugins.gno';
const SECTION_KEYS = ['departingGno', 'dsp'] as const;
const GNO_KEYS = ['commandsPerHour', 'attempts', 'retryAfterHours'] as const;
const DSP_KEYS = ['counterTracking', 'trackingShare', ...GNO_KEYS] as const;
const LEAVE_KEYS = ['operator', 'counterLeadHours', 'exitAfterHours', 'missedShare'] as const;
const HANDOVER_KEYS = ['to'] as const;

/** The validated configuration, or null when the scenario uses neither the section nor the events. */
export function parseGnoConfig(spec: ScenarioSpec): GnoConfig | null {
  const raw = spec.plugins.gno;
  const leaves = indexesOf(spec, 'gno-leaves');
  const handovers = indexesOf(spec, 'gno-handover');
  if (raw === undefined && leaves.length === 0 && handovers.length === 0) return null;

  const r = new SectionReader();
  const senders = readSenders(r, raw);
  if (leaves.length === 0) {
    r.issues.push({
      path: raw === undefined ? `events[${handovers[0]}].type` : SECTION,
      value: raw === undefined ? 'gno-handover' : raw,
      message: 'needs a "gno-leaves" event in events: the GNO whose GPFs this scenario is about',
    });
    throw new ScenarioError(r.issues);
  }
  const leave = readLeave(r, spec, leaves);
  const handover = readHandover(r, spec, handovers, leave);
  if (r.issues.length > 0) throw new ScenarioError(r.issues);
  return { ...senders, leave, handover };
}

/** The `plugins.gno` section: both senders' rates and retries, and the DSP's counter tracking. */
function readSenders(r: SectionReader, raw: unknown): Omit<GnoConfig, 'leave' | 'handover'> {
  const root = r.section(raw, SECTION, SECTION_KEYS);
  const gno = r.section(root.departingGno, `${SECTION}.departingGno`, GNO_KEYS);
  const dsp = r.section(root.dsp, `${SECTION}.dsp`, DSP_KEYS);
  const d = DEFAULT_SECTION;
  const counterTracking = r.oneOfOr(dsp.counterTracking, `${SECTION}.dsp.counterTracking`, COUNTER_TRACKING, 'compare');
  if (dsp.trackingShare !== undefined && counterTracking !== 'compare') {
    r.issues.push({
      path: `${SECTION}.dsp.trackingShare`,
      value: dsp.trackingShare,
      message: `is used only with counterTracking: compare (counterTracking is ${JSON.stringify(counterTracking)}); remove it`,
    });
  }
  // Fields are read in this order (departing GNO, tracking share, DSP) so issues keep their order.
  const departingGno = readSender(r, gno, `${SECTION}.departingGno`, d.departingGno);
  const trackingShare = r.shareOr(dsp.trackingShare, `${SECTION}.dsp.trackingShare`, d.dsp.trackingShare);
  return { departingGno, dsp: { counterTracking, trackingShare, ...readSender(r, dsp, `${SECTION}.dsp`, d.dsp) } };
}

function readSender(r: SectionReader, value: Record<string, unknown>, path: string, d: SenderConfig): SenderConfig {
  return {
    commandsPerHour: r.integerOr(value.commandsPerHour, `${path}.commandsPerHour`, 1, MAX_PER_HOUR, d.commandsPerHour),
    attempts: r.integerOr(value.attempts, `${path}.attempts`, 1, MAX_ATTEMPTS, d.attempts),
    retryAfterHours: r.integerOr(value.retryAfterHours, `${path}.retryAfterHours`, 1, MAX_HOURS, d.retryAfterHours),
  };
}

/** The one `gno-leaves` event (`leaves` is not empty): who leaves, its counters, its exit, the network sale. */
function readLeave(r: SectionReader, spec: ScenarioSpec, leaves: readonly number[]): GnoConfig['leave'] {
  for (const extra of leaves.slice(1)) {
    r.issues.push({
      path: `events[${extra}].type`,
      value: 'gno-leaves',
      message: `one "gno-leaves" event per scenario, and events[${leaves[0]}] is one already; run one scenario per departing GNO`,
    });
  }
  const index = leaves[0] as number;
  const path = `events[${index}]`;
  const p = eventParams(r, spec, index, LEAVE_KEYS);
  return {
    event: index,
    step: eventStep(spec, index),
    operator: operatorName(r, p.operator, `${path}.operator`, operatorsOf(spec)),
    counterLeadHours: r.integer(p.counterLeadHours, `${path}.counterLeadHours`, 0, MAX_HOURS) ?? 0,
    exitAfterHours: r.integerOr(p.exitAfterHours, `${path}.exitAfterHours`, 1, MAX_HOURS, DEFAULT_EXIT_AFTER_HOURS),
    missedShare: r.shareOr(p.missedShare, `${path}.missedShare`, 0),
  };
}

/** The `gno-handover` event, if any: another GNO than the departing one, after the `gno-leaves` event. */
function readHandover(
  r: SectionReader,
  spec: ScenarioSpec,
  handovers: readonly number[],
  leave: GnoConfig['leave'],
): GnoConfig['handover'] {
  for (const extra of handovers.slice(1)) {
    r.issues.push({
      path: `events[${extra}].type`,
      value: 'gno-handover',
      message: `one "gno-handover" event per scenario, and events[${handovers[0]}] is one already`,
    });
  }
  if (handovers.length === 0) return null;
  const index = handovers[0] as number;
  const hp = eventParams(r, spec, index, HANDOVER_KEYS);
  const to = operatorName(r, hp.to, `events[${index}].to`, operatorsOf(spec));
  if (to !== '' && to === leave.operator) {
    r.issues.push({
      path: `events[${index}].to`,
      value: to,
      message: `is the departing GNO itself; a GNO that returns to the DCC comes back with new certificates, so list it in fleet.networkOperators under another name`,
    });
  }
  const step = eventStep(spec, index);
  if (step <= leave.step) {
    const at = spec.events[leave.event];
    r.issues.push({
      path: `events[${index}].day`,
      value: spec.events[index]?.day,
      message: `the handover must come after the "gno-leaves" event (events[${leave.event}], day ${at?.day} hour ${at?.hour}): the ACB must be in the cell first`,
    });
  }
  return { event: index, step, to };
}

function operatorsOf(spec: ScenarioSpec): string[] {
  return spec.fleet.networkOperators.map((o) => o.name);
}

function eventStep(spec: ScenarioSpec, index: number): number {
  const e = spec.events[index] as ScenarioSpec['events'][number];
  return stepAt(spec, e.day, e.hour);
}

function indexesOf(spec: ScenarioSpec, type: string): number[] {
  return spec.events.flatMap((e, i) => (e.type === type ? [i] : []));
}

/** An event's params, whose keys must be among `keys` (the path is the event's own). */
function eventParams(
  r: SectionReader,
  spec: ScenarioSpec,
  index: number,
  keys: readonly string[],
): Record<string, unknown> {
  return r.section(spec.events[index]?.params, `events[${index}]`, keys);
}

/** A network operator's name, exactly as fleet.networkOperators spells it ('' when it is not one). */
function operatorName(r: SectionReader, value: unknown, path: string, operators: readonly string[]): string {
  if (value === undefined) {
    r.fail(path, value, `expected a network operator: one of ${quoted(operators)}`);
    return '';
  }
  return r.oneOf(value, path, operators) ?? '';
}
