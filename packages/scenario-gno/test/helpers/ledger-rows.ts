/** Every GPF's ledger entry as one line of text, for comparing runs' ledgers whole. */
import type { GnoLedger } from '../../src/index.ts';

const LEDGER_KEYS = [
  'cohort',
  'missed',
  'gnoCounter',
  'recordedCounter',
  'dspCounter',
  'gnoAttempts',
  'dspAttempts',
  'state',
] as const;

/** Every GPF's ledger entry, from whichever run owns it. */
export function ledgerRows(ledgers: readonly GnoLedger[]): string[] {
  return ledgers.flatMap((l) => [...l.gpfs].map((m) => [m, ...LEDGER_KEYS.map((k) => l[k][m])].join(',')));
}
