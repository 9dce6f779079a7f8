/**
 * What a scenario file says about hostile parties (`plugins.hostile`): the attacker's name, the
 * former supplier and when its certificate is revoked, the network-operator handover whose old
 * operator comes back, and the attacks — each once, at its own time, to a share of the meters it
 * fits. Validated here with every problem named (field, value, what is allowed) before anything
 * runs; the order the timeline needs (E4 before the revocation, the revoked sends after it, the
 * old operator after its handover) is checked too, so each row of the matrix tests what it says.
 */
import { ATTACKS, type Attack, ScenarioError, type ScenarioSpec, SectionReader, stepAt } from '@gbfleet/core';

/** Every attack the matrix knows (core's ATTACKS less 'none'), in table order. */
export const ATTACK_TYPES = ATTACKS.filter((a): a is Exclude<Attack, 'none'> => a !== 'none');
export type AttackType = (typeof ATTACK_TYPES)[number];

export interface AttackConfig {
  type: AttackType;
  /** Path of its entry in the file, for messages. */
  path: string;
  /** The day as the file gives it, for messages. */
  day: number;
  step: number;
  /** Share of the meters in its bucket that fit it (see target-sample.ts). */
  share: number;
}

export interface HostileConfig {
  /** The party with network access and keys of its own, in no meter's cells and no DCC User. */
  attacker: string;
  /** A supplier that lost its customers before the run; a DCC User until its certificate is revoked. */
  formerSupplier: { name: string; revokedAtStep: number } | null;
  /** The network operator that hands some of its meters to another; null without one. */
  networkHandover: { from: string; to: string; step: number } | null;
  attacks: AttackConfig[];
}

export const DEFAULT_ATTACKER = 'Mallory (no DCC access)';
export const DEFAULT_SHARE = 0.1;

const SECTION = 'plugins.hostile';
const SECTION_KEYS = ['attacker', 'formerSupplier', 'networkHandover', 'attacks'] as const;
const FORMER_KEYS = ['name', 'revokedAt'] as const;
const HANDOVER_KEYS = ['from', 'to', 'at'] as const;
const AT_KEYS = ['day', 'hour'] as const;
const ATTACK_KEYS = ['type', 'day', 'hour', 'share'] as const;
const MAX_NAME = 100;

/** The validated section, or null when the scenario has none. */
export function parseHostileConfig(spec: ScenarioSpec): HostileConfig | null {
  const raw = spec.plugins.hostile;
  if (raw === undefined) return null;
  const r = new SectionReader();
  const root = r.mapping(raw, SECTION, SECTION_KEYS);
  if (!root) throw new ScenarioError(r.issues);
  const taken = new Set([
    ...spec.fleet.suppliers.map((s) => s.name),
    ...spec.fleet.networkOperators.map((o) => o.name),
  ]);
  const attacker = newPartyName(r, root.attacker ?? DEFAULT_ATTACKER, `${SECTION}.attacker`, taken);
  const formerSupplier = readFormerSupplier(r, spec, root.formerSupplier, taken);
  const networkHandover = readHandover(r, spec, root.networkHandover);
  const attacks = readAttacks(r, spec, root.attacks);
  checkTimeline(r, attacks, formerSupplier, networkHandover);
  if (r.issues.length > 0) throw new ScenarioError(r.issues);
  return { attacker, formerSupplier, networkHandover, attacks };
}

/** A name for a party the plug-in adds: not empty, not one of the fleet's (nor another of ours). */
function newPartyName(r: SectionReader, value: unknown, path: string, taken: Set<string>): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME) {
    r.fail(path, value, `expected a party name of 1 to ${MAX_NAME} characters`);
    return '';
  }
  const name = value.trim();
  if (taken.has(name)) {
    r.fail(path, value, 'expected a name no other party of the run has (the fleet already has a party by that name)');
  }
  taken.add(name);
  return name;
}

/** A time in the run, `{ day, hour }`, as the step it starts; -1 when wrong (reported). */
function readAt(r: SectionReader, spec: ScenarioSpec, value: unknown, path: string): number {
  const at = r.mapping(value, path, AT_KEYS);
  if (!at) return -1;
  return stepIn(r, spec, at.day, at.hour, path);
}

function stepIn(r: SectionReader, spec: ScenarioSpec, dayValue: unknown, hourValue: unknown, path: string): number {
  const day = r.integer(dayValue, `${path}.day`, 0, spec.days - 1);
  const hour = r.integerOr(hourValue, `${path}.hour`, 0, 23, 0);
  return day === undefined ? -1 : stepAt(spec, day, hour);
}

function readFormerSupplier(
  r: SectionReader,
  spec: ScenarioSpec,
  value: unknown,
  taken: Set<string>,
): HostileConfig['formerSupplier'] {
  if (value === undefined) return null;
  const path = `${SECTION}.formerSupplier`;
  const f = r.mapping(value, path, FORMER_KEYS);
  if (!f) return null;
  const name = newPartyName(r, f.name, `${path}.name`, taken);
  return { name, revokedAtStep: readAt(r, spec, f.revokedAt, `${path}.revokedAt`) };
}

function readHandover(r: SectionReader, spec: ScenarioSpec, value: unknown): HostileConfig['networkHandover'] {
  if (value === undefined) return null;
  const path = `${SECTION}.networkHandover`;
  const h = r.mapping(value, path, HANDOVER_KEYS);
  if (!h) return null;
  const operators = spec.fleet.networkOperators.map((o) => o.name);
  const from = r.oneOf(h.from, `${path}.from`, operators) ?? '';
  const to = r.oneOf(h.to, `${path}.to`, operators) ?? '';
  if (from !== '' && from === to) r.fail(`${path}.to`, h.to, `expected another network operator than "from" (${from})`);
  return { from, to, step: readAt(r, spec, h.at, `${path}.at`) };
}

function readAttacks(r: SectionReader, spec: ScenarioSpec, value: unknown): AttackConfig[] {
  const path = `${SECTION}.attacks`;
  const list = r.list(value, path, 1, ATTACK_TYPES.length);
  if (!list) return [];
  const out: AttackConfig[] = [];
  const seen = new Map<string, string>();
  list.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    const a = r.mapping(entry, at, ATTACK_KEYS);
    if (!a) return;
    const type = r.oneOf(a.type, `${at}.type`, ATTACK_TYPES);
    const step = stepIn(r, spec, a.day, a.hour, at);
    const share = r.shareOr(a.share, `${at}.share`, DEFAULT_SHARE);
    if (type === undefined) return;
    const first = seen.get(type);
    if (first !== undefined) {
      r.fail(`${at}.type`, type, `expected each attack once, and ${first} is ${JSON.stringify(type)} already`);
      return;
    }
    seen.set(type, at);
    if (step >= 0) out.push({ type, path: at, day: a.day as number, step, share });
  });
  return out;
}

/** Each attack at a time where it tests what its row says, and the parties it needs. */
function checkTimeline(
  r: SectionReader,
  attacks: readonly AttackConfig[],
  former: HostileConfig['formerSupplier'],
  handover: HostileConfig['networkHandover'],
): void {
  for (const a of attacks) {
    if (a.type === 'revoked-certificate' || a.type === 'ineligible-sender') {
      if (!former) {
        r.fail(
          `${SECTION}.formerSupplier`,
          undefined,
          `expected one: ${a.path} (${a.type}) is sent by the former supplier`,
        );
      } else if (former.revokedAtStep >= 0) {
        const revoked = former.revokedAtStep;
        if (a.type === 'revoked-certificate' && a.step < revoked) {
          r.fail(
            `${a.path}.day`,
            a.day,
            'expected a time at or after formerSupplier.revokedAt (before it the DCC answers E4)',
          );
        }
        if (a.type === 'ineligible-sender' && a.step >= revoked) {
          r.fail(
            `${a.path}.day`,
            a.day,
            'expected a time before formerSupplier.revokedAt (after it the DCC answers revoked)',
          );
        }
      }
    }
    if (a.type === 'old-network-operator') {
      if (!handover) {
        r.fail(`${SECTION}.networkHandover`, undefined, `expected one: ${a.path} is sent by its old network operator`);
      } else if (handover.step >= 0 && a.step <= handover.step) {
        r.fail(
          `${a.path}.day`,
          a.day,
          'expected a time after networkHandover.at: the meters must have been handed over',
        );
      }
    }
  }
}
