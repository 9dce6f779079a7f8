/**
 * What a meter did with a command: accepted, or rejected with a GBCS reason code. Stored as one
 * byte per command in typed arrays (batches, run database), named here once. The numeric values
 * are part of the run-database contract: append new codes, never renumber.
 */
export const COMMAND_OUTCOMES = [
  'ACCEPTED',
  'GBCS_MALFORMED',
  'GBCS_WRONG_DEVICE',
  'GBCS_UNKNOWN_PARTY',
  'GBCS_MAC_INVALID',
  'GBCS_REPLAY',
  'GBCS_SIGNATURE_INVALID',
  'GBCS_UNSUPPORTED',
  // Decided by the DCC before a meter sees the command.
  'DCC_E4_NOT_ELIGIBLE',
  'DCC_CERTIFICATE_REVOKED',
  'DCC_QUARANTINED',
  'DCC_QUARANTINE_DELETED',
  'WAN_NOT_DELIVERED',
  'WAN_LOST',
  // Decided by the meter after the frame checks out.
  'DEVICE_REFUSED',
  // A UTRN the consumer never typed in (the meter never saw it).
  'UTRN_NOT_ENTERED',
] as const;

export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

export const OUTCOME_CODE: Readonly<Record<CommandOutcome, number>> = Object.freeze(
  Object.fromEntries(COMMAND_OUTCOMES.map((name, i) => [name, i])) as Record<CommandOutcome, number>,
);

export function outcomeName(code: number): CommandOutcome | 'UNKNOWN' {
  return COMMAND_OUTCOMES[code] ?? 'UNKNOWN';
}
