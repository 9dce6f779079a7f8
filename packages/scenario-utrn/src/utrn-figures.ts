/**
 * The run-summary figures of the UTRN scenario, named once. Figures per command set read
 * `utrn: <set>: <what>`, so the two sets of a `compare` run sit side by side in the summary (and a
 * sweep's comparison table shortens them to `<set>: <what>`). Every figure adds up over
 * segments, or is a maximum (`max …`, RunContext.peak): a mean or ratio is not a figure, its
 * numerator and denominator are (mean hours to resolve = hours to resolve / messages resolved).
 */
import type { UtrnStatus } from '@gbfleet/core';
import type { CommandSet } from './utrn-config.js';

export const ARMS: readonly CommandSet[] = ['top-up-only', 'extended'];

export const FIGURE = {
  surgeMessages: 'utrn: surge messages',
  /** The calibration figure (DP094: 9 % of 963,118 = 86,681). */
  mustGoByUtrn: 'utrn: surge messages that must go by UTRN (no WAN)',
  sentByWan: 'utrn: surge messages sent over the WAN',
  reissuedAfterLoss: 'utrn: surge messages re-issued as UTRN after WAN loss',
  issuedWhileDown: 'utrn: surge messages issued as UTRN while the DCC was down',
  keypadEntries: 'utrn: keypad entries',
  routineEntries: 'utrn: keypad entries of routine top-ups (consumers buying credit)',
  maintenanceHigh: 'utrn: DCC maintenance windows, high impact',
  maintenanceLow: 'utrn: DCC maintenance windows, low impact',
  incidentsRaised: 'utrn: no-WAN incidents raised',
  incidentsResolved: 'utrn: no-WAN incidents resolved (WAN restored)',
  /** Over the meters restored: ÷ incidentsResolved for the mean. */
  hoursToRestore: 'utrn: hours to restore WAN (sum over meters restored)',
  /** A maximum (RunContext.peak). */
  maxDaysToRestore: 'utrn: max days to restore WAN',
} as const;

export const entryFigure = (status: UtrnStatus) => `utrn: keypad entries ${status}`;

export const ARM_FIGURE = {
  meters: 'prepayment meters without WAN',
  mustGoByUtrn: 'surge messages that must go by UTRN',
  issued: 'UTRNs issued',
  issuedDigits: (digits: number) => `UTRNs issued (${digits} digits)`,
  entered: 'UTRNs typed in',
  accepted: 'UTRNs accepted',
  neverEntered: 'UTRNs never typed in',
  gaveUp: 'UTRNs given up after failed sittings',
  refused: (status: UtrnStatus) => `UTRNs refused for good (${status})`,
  entries: 'keypad entries',
  entryStatus: (status: UtrnStatus) => `keypad entries ${status}`,
  lockoutWaits: 'sittings put off by a locked keypad',
  undeliverable: 'messages neither WAN nor UTRN can carry (site visits needed)',
  visitsNeeded: 'site visits needed',
  visitsMade: 'site visits made',
  visitsAvoided: 'site visits avoided (WAN restored first)',
  resolved: 'messages resolved',
  /** Over the messages resolved: ÷ resolved for the mean. */
  hoursToResolve: 'hours to resolve (sum over messages resolved)',
  /** A maximum (RunContext.peak). */
  maxHoursToResolve: 'max hours to resolve',
  unresolved: 'messages unresolved at the end',
  offSupplyConsumers: 'consumers off supply',
  offSupplyHours: 'consumer-hours off supply',
  offSupplyAtEnd: 'consumers off supply at the end',
} as const;

export const armFigure = (arm: CommandSet, what: string) => `utrn: ${arm}: ${what}`;
