/**
 * Codes at the keypad. Issuing a UTRN takes the meter's next UTRN counter and opens a ticket with
 * the consumer's own random stream (keyed by meter and counter), whose first sitting falls in
 * waking hours after a delay. At
 * each sitting the consumer types (slips and all) unless the keypad is locked; after the step the
 * meter's verdict on the last entry of each code settles it: accepted, typed wrong (another sitting,
 * or a site visit after the last), locked out (come back when it opens), or refused for good.
 */
import { type RunContext, type StepRecords, UTRN_STATUSES, type UtrnStatus, utrnDigitsForRequest } from '@gbfleet/core';
import { parseExtendedUtrn, parseUtrn } from '@gbfleet/gbcs';
import { awakeAfter, entryDelaySteps, neverEnters, nextAwakeStep, sittingAttempts } from './consumer-model.js';
import { consumerStream, type Ticket } from './ticket-book.js';
import { ARM_FIGURE, entryFigure, FIGURE } from './utrn-figures.js';
import type { Message } from './utrn-message.js';
import type { UtrnRun } from './utrn-run.js';

/** Issues message `m` as a code for a meter of `arm`, and schedules the consumer's first sitting. */
export function issue(s: UtrnRun, run: RunContext, m: Message, arm: number): void {
  const c = run.fleet.columns;
  const model = s.config.consumer;
  const digits = utrnDigitsForRequest(m.kind, m.argument) as number;
  const counter = (c.utrnIssued[m.meter] as number) + 1;
  c.utrnIssued[m.meter] = counter;
  // The consumer's draws are the code's own (ticket-book.ts).
  const random = consumerStream(run, m.meter, counter);
  const ticket: Ticket = { ...m, counter, digits, arm, sittings: 0, random };
  if (neverEnters(model, ticket.random, digits)) ticket.sittings = -1;
  s.figures.arm(arm, ARM_FIGURE.issued);
  s.figures.arm(arm, ARM_FIGURE.issuedDigits(digits));
  const delayHours = entryDelaySteps(model, ticket.random, s.stepHours) * s.stepHours;
  s.tickets.add(ticket, awakeAfter(model, s.clock, run.step, delayHours, s.stepHours));
}

/** The consumer sits at the keypad for ticket `t` (or, never typing it, lets the code's story end). */
export function sit(s: UtrnRun, run: RunContext, t: Ticket): void {
  const model = s.config.consumer;
  const send = (attempts: number[]) =>
    run.send({
      sender: t.supplier,
      meter: t.meter,
      kind: t.kind,
      argument: t.argument,
      channel: 'utrn',
      counter: BigInt(t.counter) << 32n,
      utrn: { attempts },
    });
  if (t.sittings < 0) {
    send([]); // never typed in: the code's story ends unread
    return;
  }
  const lockedUntil = run.fleet.columns.utrnLockedUntil[t.meter] as number;
  if (lockedUntil > run.step) {
    s.figures.arm(t.arm, ARM_FIGURE.lockoutWaits);
    s.tickets.schedule(t, nextAwakeStep(model, s.clock, lockedUntil, s.stepHours));
    return;
  }
  if (t.sittings === 0) s.figures.arm(t.arm, ARM_FIGURE.entered);
  t.sittings++;
  send(sittingAttempts(model, t.random, t.digits));
}

/** The step's keypad entries: figures for each, then each code settled by its last entry. */
export function readEntries(s: UtrnRun, run: RunContext, records: StepRecords): void {
  const rows = records.utrn;
  if (!rows || rows.length === 0) return;
  const last = new Map<Ticket, UtrnStatus>();
  for (let i = 0; i < rows.length; i++) {
    const status = UTRN_STATUSES[rows.status[i] as number] as UtrnStatus;
    if (status !== 'not-entered') run.count(FIGURE.keypadEntries);
    run.count(entryFigure(status));
    const t = s.tickets.find(rows.meter[i] as number, counterBitsOf(rows.utrn[i] as string));
    if (!t) {
      if (status !== 'not-entered') run.count(FIGURE.routineEntries);
      continue;
    }
    if (status !== 'not-entered') {
      s.figures.arm(t.arm, ARM_FIGURE.entries);
      s.figures.arm(t.arm, ARM_FIGURE.entryStatus(status));
    }
    last.set(t, status);
  }
  for (const [t, status] of last) settle(s, run, t, status);
}

function settle(s: UtrnRun, run: RunContext, t: Ticket, status: UtrnStatus): void {
  const { figures, tickets } = s;
  const model = s.config.consumer;
  const step = run.step;
  switch (status) {
    case 'accepted':
      tickets.close(t);
      figures.arm(t.arm, ARM_FIGURE.accepted);
      figures.resolved(t.arm, step - t.plannedAt);
      return;
    case 'not-entered':
      tickets.close(t);
      figures.arm(t.arm, ARM_FIGURE.neverEntered);
      return;
    case 'rejected-typo':
    case 'rejected-mac':
      if (t.sittings < model.sittings) {
        tickets.schedule(t, awakeAfter(model, s.clock, step, model.retryAfterHours, s.stepHours));
      } else {
        tickets.close(t);
        figures.arm(t.arm, ARM_FIGURE.gaveUp);
        s.visits.book(run, t, t.arm);
      }
      return;
    case 'rejected-locked-out': {
      t.sittings--; // the keypad was locked: the consumer comes back when it opens
      figures.arm(t.arm, ARM_FIGURE.lockoutWaits);
      const opens = Math.max(step + 1, run.fleet.columns.utrnLockedUntil[t.meter] as number);
      tickets.schedule(t, nextAwakeStep(model, s.clock, opens, s.stepHours));
      return;
    }
    default:
      tickets.close(t);
      figures.arm(t.arm, ARM_FIGURE.refused(status));
      s.visits.book(run, t, t.arm);
  }
}

/** The 10 counter bits an issued code carries (its digits say which code it is). */
function counterBitsOf(code: string): number {
  const parsed = code.length === 20 ? parseUtrn(code) : parseExtendedUtrn(code);
  return parsed.ok ? parsed.counterBits : -1;
}
