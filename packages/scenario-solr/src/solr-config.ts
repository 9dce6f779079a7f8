/**
 * The `plugins.solr` section of a scenario file: who fails, what the SRP does to make meters
 * safe, whether the PSP keeps vending, when the Authority appoints the SoLR, what the SMKI PMA
 * delays, and how fast the SoLR re-credentials and reverts. Validated here, with every problem
 * named (field, value, what is allowed), before anything runs.
 */
import { ScenarioError, type ScenarioIssue, type ScenarioSpec } from '@gbfleet/core';

export const STRATEGIES = ['calendar', 'credit-mode', 'emergency-credit'] as const;
export type MakeSafeAction = (typeof STRATEGIES)[number];

export interface SolrConfig {
  /** The supplier that fails (its failure time is the timeline's `supplier-fails` event). */
  supplier: string;
  srp: {
    /** Make-safe actions in the order each meter receives them (empty: none). */
    strategy: MakeSafeAction[];
    /** Hours from the failure until the SRP starts sending. */
    startDelayHours: number;
    /** Make-safe commands the SRP sends per hour. */
    commandsPerHour: number;
    /** The emergency-credit limit the `emergency-credit` action sets, pounds. */
    emergencyCreditPounds: number;
  };
  /** Whether the PSP and SRP keep vending top-ups under the failed supplier until the SoLR takes over. */
  continueVending: boolean;
  /** Days from the failure until the Authority appoints the SoLR. */
  appointAfterDays: number;
  pma: {
    /** Delay revocation of the failed supplier's certificates (SEC L16) until the SoLR has re-credentialed. */
    delayedRevocation: boolean;
    /** Without the delay: hours after the appointment at which revocation takes effect. */
    revokeAfterAppointmentHours: number;
    /** MP185: registration moves to the SoLR meter by meter at its CoS, not all at once at appointment. */
    delayedRegistrationTransfer: boolean;
  };
  /** Raise the ADT threshold for the make-safe burst at once (else it waits for the DCC's normal process). */
  adtFastTrack: boolean;
  solr: {
    name: string;
    /** Days from appointment until the SoLR can send commands. */
    onboardingDays: number;
    /** Changes of supplier (SR 6.23) per hour. */
    cosPerHour: number;
    /** Revert commands per hour. */
    revertsPerHour: number;
    /** Credit the SoLR adds before a revert that could otherwise disable supply, pounds. */
    revertCreditPounds: number;
  };
}

export const DEFAULT_CONFIG: Omit<SolrConfig, 'supplier'> = {
  srp: { strategy: ['calendar'], startDelayHours: 12, commandsPerHour: 20_000, emergencyCreditPounds: 150 },
  continueVending: true,
  appointAfterDays: 3,
  pma: { delayedRevocation: true, revokeAfterAppointmentHours: 0, delayedRegistrationTransfer: true },
  adtFastTrack: false,
  solr: {
    name: 'Last Resort Energy',
    onboardingDays: 14,
    cosPerHour: 20_000,
    revertsPerHour: 20_000,
    revertCreditPounds: 15,
  },
};

const SECTION = 'plugins.solr';

/** The validated section, or null when the scenario does not use the SoLR package. */
export function parseSolrConfig(spec: ScenarioSpec): SolrConfig | null {
  const raw = spec.plugins.solr;
  if (raw === undefined) return null;
  const issues: ScenarioIssue[] = [];
  const reader = new SectionReader(issues);
  const root = reader.object(raw, SECTION, [
    'supplier',
    'srp',
    'continueVending',
    'appointAfterDays',
    'pma',
    'adtFastTrack',
    'solr',
  ]);
  if (!root) throw new ScenarioError(issues);
  const srp =
    reader.object(root.srp ?? {}, `${SECTION}.srp`, [
      'strategy',
      'startDelayHours',
      'commandsPerHour',
      'emergencyCreditPounds',
    ]) ?? {};
  const pma =
    reader.object(root.pma ?? {}, `${SECTION}.pma`, [
      'delayedRevocation',
      'revokeAfterAppointmentHours',
      'delayedRegistrationTransfer',
    ]) ?? {};
  const solr =
    reader.object(root.solr ?? {}, `${SECTION}.solr`, [
      'name',
      'onboardingDays',
      'cosPerHour',
      'revertsPerHour',
      'revertCreditPounds',
    ]) ?? {};
  const d = DEFAULT_CONFIG;
  const suppliers = spec.fleet.suppliers.map((s) => s.name);
  const config: SolrConfig = {
    supplier: reader.oneOf(root.supplier, `${SECTION}.supplier`, suppliers, undefined),
    srp: {
      strategy: reader.strategy(srp.strategy, `${SECTION}.srp.strategy`, d.srp.strategy),
      startDelayHours: reader.integer(
        srp.startDelayHours,
        `${SECTION}.srp.startDelayHours`,
        0,
        24 * 365,
        d.srp.startDelayHours,
      ),
      commandsPerHour: reader.integer(
        srp.commandsPerHour,
        `${SECTION}.srp.commandsPerHour`,
        1,
        10_000_000,
        d.srp.commandsPerHour,
      ),
      emergencyCreditPounds: reader.integer(
        srp.emergencyCreditPounds,
        `${SECTION}.srp.emergencyCreditPounds`,
        1,
        10_000,
        d.srp.emergencyCreditPounds,
      ),
    },
    continueVending: reader.flag(root.continueVending, `${SECTION}.continueVending`, d.continueVending),
    appointAfterDays: reader.integer(root.appointAfterDays, `${SECTION}.appointAfterDays`, 0, 365, d.appointAfterDays),
    pma: {
      delayedRevocation: reader.flag(
        pma.delayedRevocation,
        `${SECTION}.pma.delayedRevocation`,
        d.pma.delayedRevocation,
      ),
      revokeAfterAppointmentHours: reader.integer(
        pma.revokeAfterAppointmentHours,
        `${SECTION}.pma.revokeAfterAppointmentHours`,
        0,
        24 * 365,
        d.pma.revokeAfterAppointmentHours,
      ),
      delayedRegistrationTransfer: reader.flag(
        pma.delayedRegistrationTransfer,
        `${SECTION}.pma.delayedRegistrationTransfer`,
        d.pma.delayedRegistrationTransfer,
      ),
    },
    adtFastTrack: reader.flag(root.adtFastTrack, `${SECTION}.adtFastTrack`, d.adtFastTrack),
    solr: {
      name: reader.name(solr.name, `${SECTION}.solr.name`, d.solr.name, suppliers),
      onboardingDays: reader.integer(
        solr.onboardingDays,
        `${SECTION}.solr.onboardingDays`,
        0,
        365,
        d.solr.onboardingDays,
      ),
      cosPerHour: reader.integer(solr.cosPerHour, `${SECTION}.solr.cosPerHour`, 1, 10_000_000, d.solr.cosPerHour),
      revertsPerHour: reader.integer(
        solr.revertsPerHour,
        `${SECTION}.solr.revertsPerHour`,
        1,
        10_000_000,
        d.solr.revertsPerHour,
      ),
      revertCreditPounds: reader.integer(
        solr.revertCreditPounds,
        `${SECTION}.solr.revertCreditPounds`,
        0,
        10_000,
        d.solr.revertCreditPounds,
      ),
    },
  };
  const failing = spec.events.filter((e) => e.type === 'supplier-fails' && e.params.supplier === config.supplier);
  if (issues.length === 0 && failing.length !== 1) {
    issues.push({
      path: `${SECTION}.supplier`,
      value: config.supplier,
      message: `expected exactly one "supplier-fails" event for ${JSON.stringify(config.supplier)} in events, found ${failing.length}`,
    });
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return config;
}

/** Reads one field at a time, collecting every problem instead of stopping at the first. */
class SectionReader {
  readonly #issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    this.#issues = issues;
  }

  #fail<T>(path: string, value: unknown, message: string, fallback: T): T {
    this.#issues.push({ path, value, message });
    return fallback;
  }

  object(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> | null {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.#fail(path, value, 'expected a mapping (key: value lines)', null);
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        this.#fail(
          `${path}.${key}`,
          (value as Record<string, unknown>)[key],
          `unknown field; the fields are ${keys.join(', ')}`,
          null,
        );
      }
    }
    return value as Record<string, unknown>;
  }

  integer(value: unknown, path: string, min: number, max: number, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.#fail(
        path,
        value,
        `got ${JSON.stringify(value)}, expected an integer from ${min} to ${max}`,
        fallback,
      );
    }
    return value;
  }

  flag(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      return this.#fail(path, value, `got ${JSON.stringify(value)}, expected true or false`, fallback);
    return value;
  }

  oneOf(value: unknown, path: string, allowed: readonly string[], fallback: string | undefined): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      const list = allowed.map((a) => JSON.stringify(a)).join(', ');
      return this.#fail(path, value, `got ${JSON.stringify(value ?? null)}, expected one of ${list}`, allowed[0] ?? '');
    }
    return value;
  }

  name(value: unknown, path: string, fallback: string, taken: readonly string[]): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 80) {
      return this.#fail(path, value, `got ${JSON.stringify(value)}, expected a name of 1 to 80 characters`, fallback);
    }
    if (taken.includes(value))
      return this.#fail(path, value, 'is already the name of a supplier in fleet.suppliers', fallback);
    return value;
  }

  strategy(value: unknown, path: string, fallback: MakeSafeAction[]): MakeSafeAction[] {
    if (value === undefined) return fallback;
    const list = typeof value === 'string' ? [value] : value;
    const allowed = STRATEGIES.map((s) => JSON.stringify(s)).join(', ');
    if (!Array.isArray(list)) {
      return this.#fail(
        path,
        value,
        `got ${JSON.stringify(value)}, expected a list of actions from ${allowed}`,
        fallback,
      );
    }
    const out: MakeSafeAction[] = [];
    list.forEach((item, i) => {
      if (!STRATEGIES.includes(item as MakeSafeAction)) {
        this.#fail(`${path}[${i}]`, item, `got ${JSON.stringify(item)}, expected one of ${allowed}`, null);
      } else if (out.includes(item as MakeSafeAction)) {
        this.#fail(`${path}[${i}]`, item, `${JSON.stringify(item)} is listed twice`, null);
      } else out.push(item as MakeSafeAction);
    });
    return out;
  }
}
