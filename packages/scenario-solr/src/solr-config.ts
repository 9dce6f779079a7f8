/**
 * The `plugins.solr` section of a scenario file: who fails, what the SRP does to make meters
 * safe, whether the PSP keeps vending, when the Authority appoints the SoLR, what the SMKI PMA
 * delays, and how fast the SoLR re-credentials and reverts. Validated here, with every problem
 * named (field, value, what is allowed), before anything runs.
 */
import { quoted, ScenarioError, type ScenarioSpec, SectionReader } from '@gbfleet/core';

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
  const reader = new SectionReader();
  const issues = reader.issues;
  const root = reader.mapping(raw, SECTION, [
    'supplier',
    'srp',
    'continueVending',
    'appointAfterDays',
    'pma',
    'adtFastTrack',
    'solr',
  ]);
  if (!root) throw new ScenarioError(issues);
  const srp = reader.section(root.srp, `${SECTION}.srp`, [
    'strategy',
    'startDelayHours',
    'commandsPerHour',
    'emergencyCreditPounds',
  ]);
  const pma = reader.section(root.pma, `${SECTION}.pma`, [
    'delayedRevocation',
    'revokeAfterAppointmentHours',
    'delayedRegistrationTransfer',
  ]);
  const solr = reader.section(root.solr, `${SECTION}.solr`, [
    'name',
    'onboardingDays',
    'cosPerHour',
    'revertsPerHour',
    'revertCreditPounds',
  ]);
  const d = DEFAULT_CONFIG;
  const suppliers = spec.fleet.suppliers.map((s) => s.name);
  const config: SolrConfig = {
    supplier: reader.oneOf(root.supplier, `${SECTION}.supplier`, suppliers) ?? '',
    srp: readSrp(reader, srp),
    continueVending: reader.booleanOr(root.continueVending, `${SECTION}.continueVending`, d.continueVending),
    appointAfterDays: reader.integerOr(
      root.appointAfterDays,
      `${SECTION}.appointAfterDays`,
      0,
      365,
      d.appointAfterDays,
    ),
    pma: readPma(reader, pma),
    adtFastTrack: reader.booleanOr(root.adtFastTrack, `${SECTION}.adtFastTrack`, d.adtFastTrack),
    solr: readSolrParty(reader, solr, suppliers),
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

type SubSection = 'srp' | 'pma' | 'solr';

/** Field readers for `plugins.solr.<key>`: each field's path and its default from DEFAULT_CONFIG. */
function fieldsOf(reader: SectionReader, section: Record<string, unknown>, key: SubSection) {
  const path = `${SECTION}.${key}`;
  const defaults = DEFAULT_CONFIG[key] as unknown as Record<string, unknown>;
  return {
    path,
    integer: (field: string, min: number, max: number) =>
      reader.integerOr(section[field], `${path}.${field}`, min, max, defaults[field] as number),
    boolean: (field: string) => reader.booleanOr(section[field], `${path}.${field}`, defaults[field] as boolean),
  };
}

/** `plugins.solr.srp`: the make-safe strategy and how fast the SRP works. */
function readSrp(reader: SectionReader, section: Record<string, unknown>): SolrConfig['srp'] {
  const f = fieldsOf(reader, section, 'srp');
  return {
    strategy: readStrategy(reader, section.strategy, `${f.path}.strategy`, DEFAULT_CONFIG.srp.strategy),
    startDelayHours: f.integer('startDelayHours', 0, 24 * 365),
    commandsPerHour: f.integer('commandsPerHour', 1, 10_000_000),
    emergencyCreditPounds: f.integer('emergencyCreditPounds', 1, 10_000),
  };
}

/** `plugins.solr.pma`: what the SMKI PMA delays. */
function readPma(reader: SectionReader, section: Record<string, unknown>): SolrConfig['pma'] {
  const f = fieldsOf(reader, section, 'pma');
  return {
    delayedRevocation: f.boolean('delayedRevocation'),
    revokeAfterAppointmentHours: f.integer('revokeAfterAppointmentHours', 0, 24 * 365),
    delayedRegistrationTransfer: f.boolean('delayedRegistrationTransfer'),
  };
}

/** `plugins.solr.solr`: the SoLR, its onboarding and its rates. */
function readSolrParty(
  reader: SectionReader,
  section: Record<string, unknown>,
  suppliers: string[],
): SolrConfig['solr'] {
  const f = fieldsOf(reader, section, 'solr');
  return {
    name: readSolrName(reader, section.name, `${f.path}.name`, DEFAULT_CONFIG.solr.name, suppliers),
    onboardingDays: f.integer('onboardingDays', 0, 365),
    cosPerHour: f.integer('cosPerHour', 1, 10_000_000),
    revertsPerHour: f.integer('revertsPerHour', 1, 10_000_000),
    revertCreditPounds: f.integer('revertCreditPounds', 0, 10_000),
  };
}

/** A new supplier's name: 1 to 80 characters, not one in fleet.suppliers. */
function readSolrName(
  reader: SectionReader,
  value: unknown,
  path: string,
  fallback: string,
  taken: readonly string[],
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 80) {
    return reader.fail(path, value, 'expected a name of 1 to 80 characters') ?? fallback;
  }
  if (taken.includes(value)) {
    return (
      reader.fail(path, value, `expected a new name: this one is already a supplier in fleet.suppliers`) ?? fallback
    );
  }
  return value;
}

/** Make-safe actions: one, or a list without repeats, from STRATEGIES. */
function readStrategy(
  reader: SectionReader,
  value: unknown,
  path: string,
  fallback: MakeSafeAction[],
): MakeSafeAction[] {
  if (value === undefined) return fallback;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list))
    return reader.fail(path, value, `expected a list of actions from ${quoted(STRATEGIES)}`) ?? fallback;
  const out: MakeSafeAction[] = [];
  list.forEach((item, i) => {
    const action = reader.oneOf(item, `${path}[${i}]`, STRATEGIES);
    if (action === undefined) return;
    if (out.includes(action)) reader.fail(`${path}[${i}]`, item, 'expected each action once');
    else out.push(action);
  });
  return out;
}
