/**
 * What a run produces, as columnar batches of typed arrays: the contract between the engine
 * (which fills them, in workers and on the main thread) and the run database in
 * @gbfleet/reports (which appends them to DuckDB without row-by-row work). Times are step
 * indexes; the database turns them into TIMESTAMPs with `RunMeta.start` and `stepMinutes`.
 * Every code table below is append-only: its order is part of the run-database contract.
 */
import { COMMAND_OUTCOMES, type CommandOutcome } from '@gbfleet/gbcs';

/** Alert codes a meter raises (the `alerts.code` ENUM). */
export const ALERT_CODES = [
  'LOW_CREDIT',
  'EMERGENCY_CREDIT_ACTIVATED',
  'EMERGENCY_CREDIT_EXHAUSTED',
  'SUPPLY_DISABLED',
  'SUPPLY_ARMED',
  'METER_READING',
  'SUPPLY_ENABLED',
  'SCHEDULED_ALERT',
  // UTRNs typed at the keypad (GBCS 0x8F51, 0x8F63, —, 0x81C5): see docs/scenario-utrn.md.
  'UTRN_DUPLICATE',
  'UTRN_NOT_AUTHENTIC',
  'UTRN_COUNTER_REJECTED',
  'UTRN_LOCKED_OUT',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

/** Alerts about supply itself are critical; the DCC's filter-non-critical policy keeps them. */
export const CRITICAL_ALERTS: ReadonlySet<AlertCode> = new Set(['SUPPLY_DISABLED', 'SUPPLY_ARMED', 'SUPPLY_ENABLED']);

/** Supply changes (the `supply_events.event` ENUM). */
export const SUPPLY_EVENTS = ['disabled', 'armed', 'enabled'] as const;
export type SupplyEvent = (typeof SUPPLY_EVENTS)[number];

/** Why supply changed (the `supply_events.cause` ENUM). */
export const SUPPLY_CAUSES = [
  'credit-exhausted',
  'top-up',
  'non-disablement-ended',
  'payment-mode-credit',
  'emergency-credit',
  'command',
] as const;
export type SupplyCause = (typeof SUPPLY_CAUSES)[number];

/**
 * How a command reached the meter (the `commands.channel` ENUM): a frame over the WAN, a UTRN at
 * the keypad, or an engineer configuring the meter on site (no DCC, no WAN, no frame checks).
 */
export const CHANNELS = ['wan', 'utrn', 'site-visit'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Index of each channel in CHANNELS (what batches carry). */
export const ChannelCode = Object.freeze(Object.fromEntries(CHANNELS.map((c, i) => [c, i]))) as Readonly<
  Record<Channel, number>
>;

/** What became of a UTRN (the `utrn.status` ENUM). */
export const UTRN_STATUSES = [
  'accepted',
  'rejected-typo',
  'rejected-counter',
  'rejected-replay',
  'not-entered',
  'rejected-mac',
  'rejected-locked-out',
  'rejected-unsupported',
] as const;
export type UtrnStatus = (typeof UTRN_STATUSES)[number];

/**
 * Which attack of a hostile party a command belongs to (the `commands.attack` ENUM; 'none' for
 * every ordinary command): the attack matrix of docs/scenario-hostile.md. Sent by a scenario
 * plug-in through `CommandRequest.attack`; the engine only carries the label to the run database.
 */
export const ATTACKS = [
  'none',
  'forged-signature',
  'wrong-signer',
  'replayed-counter',
  'equal-counter',
  'stale-counter',
  'revoked-certificate',
  'ineligible-sender',
  'tampered-mac',
  'wrong-recipient',
  'old-network-operator',
  'utrn-replay',
  'utrn-outside-window',
  'utrn-brute-force',
] as const;
export type Attack = (typeof ATTACKS)[number];
/** Index of each attack in ATTACKS (what batches carry). */
export const AttackCode = Object.freeze(Object.fromEntries(ATTACKS.map((a, i) => [a, i]))) as Readonly<
  Record<Attack, number>
>;

/** Fuel, payment mode and WAN class of a meter (the `meters` ENUMs). */
export const FUELS = ['electricity', 'gas'] as const;
export const PAYMENT_MODES = ['credit', 'prepayment'] as const;
export const WAN_CLASSES = ['good', 'intermittent', 'none'] as const;

/** Coarse status of a command for analysts (`commands.outcome`); `commands.reason` keeps the exact code. */
export const COMMAND_STATUSES = ['accepted', 'rejected', 'undelivered', 'quarantined'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** The coarse status of a reason code from `COMMAND_OUTCOMES`. */
export function commandStatusOf(reason: CommandOutcome | 'UNKNOWN'): CommandStatus {
  if (reason === 'ACCEPTED') return 'accepted';
  if (reason === 'WAN_NOT_DELIVERED' || reason === 'WAN_LOST' || reason === 'UTRN_NOT_ENTERED') return 'undelivered';
  if (reason === 'DCC_QUARANTINED') return 'quarantined';
  return 'rejected';
}

/** Every reason code with its coarse status, in code order (for the database's lookup table). */
export function commandReasonTable(): Array<{ code: number; reason: CommandOutcome; outcome: CommandStatus }> {
  return COMMAND_OUTCOMES.map((reason, code) => ({ code, reason, outcome: commandStatusOf(reason) }));
}

/** One alert per entry. `recipient` is the party in the meter's supplier cell when it was raised. */
export interface AlertBatch {
  length: number;
  step: Uint32Array;
  meter: Uint32Array;
  /** Index into ALERT_CODES. */
  code: Uint8Array;
  /** Party index. */
  recipient: Uint16Array;
  /** Party index of the registered supplier at that time. */
  registeredSupplier: Uint16Array;
  /** 1 when the alert carries consumption readings (personal data). */
  carriesReads: Uint8Array;
  /**
   * 1 when the alert reached the DCC and its recipient; 0 when the meter had no WAN to send it
   * (it stays in the meter's log). Leak and load figures count delivered alerts only.
   */
  delivered: Uint8Array;
}

/** One command per entry, with what became of it. */
export interface CommandRecordBatch {
  length: number;
  step: Uint32Array;
  /** Party index of the sender. */
  sender: Uint16Array;
  meter: Uint32Array;
  /** Index into SERVICE_REQUESTS. */
  serviceRequest: Uint8Array;
  messageCode: Uint16Array;
  /** Index into CHANNELS. */
  channel: Uint8Array;
  /** Index into COMMAND_OUTCOMES. */
  reason: Uint8Array;
  /** Index into ATTACKS: 0 ('none') for every ordinary command. */
  attack: Uint8Array;
}

export interface SupplyEventBatch {
  length: number;
  step: Uint32Array;
  meter: Uint32Array;
  /**
   * The event's place among its meter's events in the same step (0, 1, …): a meter can be
   * disabled, armed and enabled within one step, and `(step, seq)` says which came last. Counted
   * per meter, so it does not depend on how meters are split into shards.
   */
  seq: Uint16Array;
  /** Index into SUPPLY_EVENTS. */
  event: Uint8Array;
  /** Index into SUPPLY_CAUSES. */
  cause: Uint8Array;
}

export interface UtrnBatch {
  length: number;
  step: Uint32Array;
  meter: Uint32Array;
  /** Party index of the supplier whose prepayment key made the UTRN. */
  supplier: Uint16Array;
  /** The code's digits as issued (20 for a top-up, 40 or 60 for gbfleet's extended commands), as text. */
  utrn: string[];
  valuePence: Uint32Array;
  /** Index into UTRN_STATUSES. */
  status: Uint8Array;
}

/** A party's monthly DCC charges and credit cover (small: one row per party per month). */
export interface ChargeRow {
  party: number;
  /** First day of the month, `YYYY-MM-01`. */
  month: string;
  chargesPence: number;
  paidPence: number;
  coverLodgedPence: number;
  coverDrawnPence: number;
  socialisedPence: number;
}

/** A party of the run (`parties`). */
export interface PartyRecord {
  index: number;
  eui: bigint;
  name: string;
  role: string;
  /** Step at which its certificate revocation takes effect, or null. */
  revokedAtStep: number | null;
  /** Step at which it ceased trading, or null. */
  failedAtStep: number | null;
}

/** The initial fleet (`meters`): one entry per meter, as columns. */
export interface MeterSnapshot {
  length: number;
  /** Entry i is meter firstMeterId + i (default 0: a segment's snapshot starts at its first meter). */
  firstMeterId?: number;
  eui: BigUint64Array;
  /** Index into FUELS. */
  fuel: Uint8Array;
  /** Index into PAYMENT_MODES. */
  paymentMode: Uint8Array;
  supplier: Uint16Array;
  networkOperator: Uint16Array;
  /** Index into WAN_CLASSES. */
  wanClass: Uint8Array;
  vulnerable: Uint8Array;
  creditPence: Int32Array;
  emergencyCreditLimitPence: Int32Array;
  meanKwhPerDay: Float32Array;
}

/** One run (`runs`). */
export interface RunMeta {
  runId: string;
  scenarioName: string;
  /** SHA-256 of the scenario file's text, hex. */
  scenarioHash: string;
  seed: string;
  codeVersion: string;
  workers: number;
  meters: number;
  /** ISO timestamp of step 0 (UTC). */
  start: string;
  stepMinutes: number;
  steps: number;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
