/**
 * Which Service Requests a code typed at the keypad can carry, both ways: the code a supplier
 * issues for a request (a 20-digit UTRN for a top-up; an extended 40/60-digit code for the
 * prepayment-configuration and payment-mode requests), and the request an accepted code asks the
 * meter for. Requests no code carries (credential updates) are null: they need the WAN or a visit.
 */
import { Calendar, generateExtendedUtrn, generateUtrn, ServiceRequest } from '@gbfleet/gbcs';
import { PaymentMode } from '../fleet/fleet-state.js';
import type { UtrnContent } from './utrn-acceptance.js';

export interface UtrnIssueKeys {
  sharedSecret: Uint8Array;
  supplier: bigint;
  device: bigint;
  /** UTRN-shaped: lower 32 bits zero. */
  counter: bigint;
  /** The friendly window a friendly-hours calendar request stands for, hours [from, to). */
  friendlyHours: { from: number; to: number };
}

export interface IssuedUtrn {
  code: string;
  /** Credit the code carries, pence (0 for extended commands). */
  pence: number;
}

/** The largest top-up a 20-digit UTRN carries, pence: 8,191 pounds (pounds class). */
export const MAX_UTRN_TOP_UP_PENCE = 819_100;

/** Whether a request of this kind and argument can go as a code typed at the keypad, and how long it is. */
export function utrnDigitsForRequest(kind: number, argument: number): 20 | 40 | 60 | null {
  switch (kind) {
    case ServiceRequest.TopUp:
      return argument > 0 && (argument <= 8191 || (argument % 100 === 0 && argument <= MAX_UTRN_TOP_UP_PENCE))
        ? 20
        : null;
    case ServiceRequest.SetEmergencyCreditLimit:
      return argument >= 0 && argument <= 0xff_ffff ? 40 : null;
    case ServiceRequest.SetNonDisablementCalendar:
      if (argument === Calendar.FriendlyHours) return 60;
      return argument === Calendar.None || argument === Calendar.Always ? 40 : null;
    case ServiceRequest.SetPaymentMode:
      return argument === PaymentMode.Credit || argument === PaymentMode.Prepayment ? 40 : null;
    default:
      return null;
  }
}

/** The code a supplier issues for a request, or null when no code can carry it. */
export function issueUtrnForRequest(
  request: { kind: number; argument: number },
  keys: UtrnIssueKeys,
): IssuedUtrn | null {
  const { kind, argument: arg } = request;
  if (utrnDigitsForRequest(kind, arg) === null) return null;
  const base = { sharedSecret: keys.sharedSecret, supplier: keys.supplier, device: keys.device, counter: keys.counter };
  const extended = (command: string, params: Record<string, number>): IssuedUtrn => ({
    code: generateExtendedUtrn({ ...base, command, params }).utrn,
    pence: 0,
  });
  switch (kind) {
    case ServiceRequest.TopUp: {
      const pennies = arg <= 8191;
      const value = pennies ? arg : arg / 100;
      return { code: generateUtrn({ ...base, value, valueClass: pennies ? 'pennies' : 'pounds' }).utrn, pence: arg };
    }
    case ServiceRequest.SetEmergencyCreditLimit:
      return extended('set-emergency-credit', { limitPence: arg });
    case ServiceRequest.SetNonDisablementCalendar:
      if (arg === Calendar.FriendlyHours) {
        const { from, to } = keys.friendlyHours;
        return extended('set-friendly-credit-times', {
          periods: 1,
          days1: 0x7f,
          from1: from,
          to1: to,
          days2: 0,
          from2: 0,
          to2: 0,
          days3: 0,
          from3: 0,
          to3: 0,
        });
      }
      return extended('set-non-disconnect', { calendar: arg });
    default:
      return extended(arg === PaymentMode.Credit ? 'credit-mode' : 'prepayment-mode', {});
  }
}

/**
 * The request an accepted code asks the meter for, or null when the code is in the command set
 * but nothing in the fleet's state models it (prices, debt, HAN, revert to default).
 */
export function requestOfUtrnContent(content: UtrnContent): { kind: number; argument: number } | null {
  if (content.kind === 'top-up') return { kind: ServiceRequest.TopUp, argument: content.pence };
  const p = content.params;
  switch (content.command.name) {
    case 'set-emergency-credit':
      return { kind: ServiceRequest.SetEmergencyCreditLimit, argument: p.limitPence as number };
    case 'set-non-disconnect':
      return { kind: ServiceRequest.SetNonDisablementCalendar, argument: p.calendar as number };
    case 'set-friendly-credit-times':
      // The fleet keeps one friendly window for all meters: the code's periods are verified, not stored.
      return { kind: ServiceRequest.SetNonDisablementCalendar, argument: Calendar.FriendlyHours };
    case 'credit-mode':
      return { kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Credit };
    case 'prepayment-mode':
      return { kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Prepayment };
    default:
      return null;
  }
}
