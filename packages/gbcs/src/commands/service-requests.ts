/**
 * The DCC Service Requests gbfleet's actors send, each with its GBCS message code, whether it is
 * critical (signed by the sender, checked against the meter's supplier cell) and what it does.
 * A command's payload is five real bytes inside the frame — the request's index and one signed
 * 32-bit argument — so the meter acts on what it verified, not on a side channel.
 * The table is append-only: indexes are stored in the run database.
 */
import { InvalidArgumentError } from '../errors.js';
import { MessageCode } from '../frames/message-codes.js';

/** The trust-anchor cell whose party must have sent a command (see `cellOfMessageCode`). */
export const TrustCell = { Supplier: 0, NetworkOperator: 1, Acb: 2 } as const;
export type TrustCellIndex = (typeof TrustCell)[keyof typeof TrustCell];

export interface ServiceRequestDef {
  /** DCC User Interface Services Schedule number, e.g. '1.6'. */
  sr: string;
  name: string;
  messageCode: number;
  critical: boolean;
  /** What the 32-bit argument means. */
  argument: string;
  /** The cell whose occupant must have signed it. */
  cell: TrustCellIndex;
}

export const SERVICE_REQUESTS = [
  {
    sr: '2.2',
    name: 'Top Up Device',
    messageCode: MessageCode.CS01a,
    critical: false,
    argument: 'credit in pence',
    cell: TrustCell.Supplier,
  },
  {
    sr: '1.6',
    name: 'Update Payment Mode',
    messageCode: MessageCode.ECS03,
    critical: true,
    argument: '0 credit, 1 prepayment',
    cell: TrustCell.Supplier,
  },
  {
    sr: '2.1',
    name: 'Update Prepay Configuration (emergency credit)',
    messageCode: MessageCode.ECS08,
    critical: true,
    argument: 'emergency-credit limit in pence',
    cell: TrustCell.Supplier,
  },
  {
    sr: '2.1',
    name: 'Update Prepay Configuration (non-disablement calendar)',
    messageCode: MessageCode.ECS08,
    critical: true,
    argument: '0 none, 1 friendly hours, 2 always (24/7)',
    cell: TrustCell.Supplier,
  },
  {
    sr: '6.23',
    name: 'Update Security Credentials (CoS)',
    messageCode: MessageCode.CS02bTransitionalCoS,
    critical: true,
    argument: 'party index placed in the supplier cell',
    cell: TrustCell.Acb,
  },
  {
    sr: '6.15.1',
    name: 'Update Security Credentials (network operator cell, by its occupant)',
    messageCode: MessageCode.CS02bNetworkOperator,
    critical: true,
    argument: 'party index placed in the network-operator cell',
    cell: TrustCell.NetworkOperator,
  },
  {
    sr: '6.21',
    name: 'Request Handover of DCC Controlled Device (network operator cell)',
    messageCode: MessageCode.CS02bNetworkOperator,
    critical: true,
    argument: 'party index placed in the network-operator cell',
    cell: TrustCell.NetworkOperator,
  },
] as const satisfies readonly ServiceRequestDef[];

/**
 * The cell a meter checks a command against, from its message code (authenticated by the MAC and
 * signature, unlike the payload): CS02b network-operator updates (0x0103) are checked against
 * whoever sits in the network-operator cell — which may be the ACB after SRV 6.15.1 (MP128) —
 * the Transitional CoS update (0x0107) against the ACB cell, everything else the supplier cell.
 */
export function cellOfMessageCode(messageCode: number): TrustCellIndex {
  if (messageCode === MessageCode.CS02bNetworkOperator) return TrustCell.NetworkOperator;
  if (messageCode === MessageCode.CS02bTransitionalCoS) return TrustCell.Acb;
  return TrustCell.Supplier;
}

/** Indexes into SERVICE_REQUESTS, by what the command does. */
export const ServiceRequest = {
  TopUp: 0,
  SetPaymentMode: 1,
  SetEmergencyCreditLimit: 2,
  SetNonDisablementCalendar: 3,
  UpdateSecurityCredentials: 4,
  UpdateNetworkOperatorCredentials: 5,
  NetworkOperatorHandover: 6,
} as const;
export type ServiceRequestKind = (typeof ServiceRequest)[keyof typeof ServiceRequest];

/** Non-disablement calendars a meter can hold (the argument of SetNonDisablementCalendar). */
export const Calendar = { None: 0, FriendlyHours: 1, Always: 2 } as const;

export const PAYLOAD_LENGTH = 5;

export function encodeServiceRequestPayload(kind: number, argument: number, out = new Uint8Array(PAYLOAD_LENGTH)) {
  if (!Number.isInteger(kind) || kind < 0 || kind >= SERVICE_REQUESTS.length) {
    throw new InvalidArgumentError(`service request index ${kind} is not in 0..${SERVICE_REQUESTS.length - 1}`);
  }
  if (!Number.isInteger(argument) || argument < -0x80000000 || argument > 0x7fffffff) {
    throw new InvalidArgumentError(`service request argument ${argument} is not a signed 32-bit integer`);
  }
  out[0] = kind;
  new DataView(out.buffer, out.byteOffset, PAYLOAD_LENGTH).setInt32(1, argument);
  return out;
}

/** The request a verified payload asks for, or null when it is not one of ours (meter refuses). */
export function decodeServiceRequestPayload(payload: Uint8Array): { kind: number; argument: number } | null {
  if (payload.length !== PAYLOAD_LENGTH) return null;
  const kind = payload[0] as number;
  if (kind >= SERVICE_REQUESTS.length) return null;
  return { kind, argument: new DataView(payload.buffer, payload.byteOffset, PAYLOAD_LENGTH).getInt32(1) };
}
