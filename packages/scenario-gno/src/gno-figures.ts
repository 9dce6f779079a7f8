/**
 * The figures this scenario adds to the run summary, by name. A GPF's state is read from the
 * device itself (its network-operator cell) once the DSP has had an answer to a handover: handed
 * over (the incoming GNO is in the cell), stranded (the ACB is in the cell and every SRV 6.21 so
 * far was rejected) or unreachable (the departed GNO's certificate is still in the cell). Figures
 * are kept up to date at every step, so an interrupted run's summary is right for its last step.
 */
import { COMMAND_OUTCOMES } from '@gbfleet/gbcs';

/** Which counters the DSP uses for a GPF's SRV 6.21. */
export const Cohort = { None: 0, Tracking: 1, NoTracking: 2 } as const;
export type CohortCode = (typeof Cohort)[keyof typeof Cohort];

export const GpfState = { Waiting: 0, HandedOver: 1, Stranded: 2, Unreachable: 3 } as const;
export type GpfStateCode = (typeof GpfState)[keyof typeof GpfState];

const COHORT_LABEL: Record<CohortCode, string> = { 0: 'none', 1: 'tracking', 2: 'no tracking' };
const STATE_LABEL: Record<GpfStateCode, string> = {
  0: 'waiting',
  1: 'handed over',
  2: 'stranded (ACB in the cell, every 6.21 rejected)',
  3: "unreachable (departed GNO's certificate in the cell)",
};

function outcomeText(reason: number): string {
  const name = COMMAND_OUTCOMES[reason] ?? `UNKNOWN_${reason}`;
  if (name === 'ACCEPTED') return 'accepted';
  if (name === 'DCC_QUARANTINED') return 'held DCC_QUARANTINED';
  return `rejected ${name}`;
}

export const Figure = {
  gpfs: 'gno: GPFs of the departing GNO',
  missed: 'gno: GPFs never sent SRV 6.15.1 (network sale)',
  atExit: "gno: GPFs holding the departing GNO's certificate at its exit",
  cohort: (cohort: CohortCode) => `gno [${COHORT_LABEL[cohort]}]: GPFs`,
  state: (cohort: CohortCode, state: GpfStateCode) => `gno [${COHORT_LABEL[cohort]}]: ${STATE_LABEL[state]}`,
  replacement: (reason: number) => `gno SRV 6.15.1: ${outcomeText(reason)}`,
  handover: (cohort: CohortCode, reason: number) => `gno SRV 6.21 [${COHORT_LABEL[cohort]}]: ${outcomeText(reason)}`,
} as const;
