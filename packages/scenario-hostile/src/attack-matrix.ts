/**
 * The attack matrix: for each attack, which meters it fits (at the moment it is sent) and the
 * commands it sends to one of them — who claims to send, by which route, forged how, with which
 * counter. Nothing here decides an outcome: the DCC model and the meters' real checks do. The
 * defence each attack meets is written beside it (docs/scenario-hostile.md has the full story).
 */
import {
  type CommandRequest,
  type FleetColumns,
  PaymentMode,
  UTRN_COUNTER_SHIFT,
  UTRN_COUNTER_WINDOW,
  UTRN_LOCKOUT_STRIKES,
  WanClass,
} from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import type { AttackType } from './hostile-config.js';

/** A UTRN the meter accepted, as a used receipt (or a shoulder-surfed code) gives it to the attacker. */
export interface Receipt {
  supplier: number;
  pence: number;
  /** Its full 64-bit counter. */
  counter: bigint;
}

/** What an attack may look at when it picks and builds. */
export interface AttackContext {
  readonly columns: FleetColumns;
  readonly meters: number;
  readonly attacker: number;
  /** -1 when the scenario has none. */
  readonly formerSupplier: number;
  readonly oldOperator: number;
  readonly newOperator: number;
  /** Receipts of meters picked for 'utrn-replay'. */
  readonly receipts: ReadonlyMap<number, Receipt>;
}

export interface AttackRow {
  /** Whether `meter` can be attacked this way now (a row only counts commands that test its defence). */
  fits(meter: number, x: AttackContext): boolean;
  commands(meter: number, x: AttackContext): CommandRequest[];
}

/** One step of the DCC clock (core's clockCounter): what 'stale' goes back by. */
const CLOCK_STEP = 1n << 24n;

const goodWan = (m: number, x: AttackContext) => x.columns.wanClass[m] === WanClass.Good;
/** The meter trusts its registered supplier: a command in that supplier's name reaches the checks that matter. */
const trustsRegistered = (m: number, x: AttackContext) =>
  goodWan(m, x) && x.columns.supplierCell[m] === x.columns.registeredSupplier[m];
const registered = (m: number, x: AttackContext) => x.columns.registeredSupplier[m] as number;
const prepayment = (m: number, x: AttackContext) => x.columns.paymentMode[m] === PaymentMode.Prepayment;

/** Harmful if it were obeyed: no emergency credit (a signed critical command). */
const noEmergencyCredit = { kind: ServiceRequest.SetEmergencyCreditLimit, argument: 0 } as const;
/** Harmful if it were obeyed: a credit meter switched to prepayment (critical). */
const toPrepayment = { kind: ServiceRequest.SetPaymentMode, argument: PaymentMode.Prepayment } as const;
/** £50 of free credit (a top-up is non-critical: MAC'd by the ACB, not signed). */
const freeCredit = { kind: ServiceRequest.TopUp, argument: 5000 } as const;

const utrnCounter = (steps: number) => BigInt(steps) << UTRN_COUNTER_SHIFT;

export const ATTACK_MATRIX: Readonly<Record<AttackType, AttackRow>> = {
  // Through a hijacked DCC User session of the registered supplier (the DCC sees that supplier),
  // signed with the attacker's own key: the meter's signature check against its supplier cell.
  'forged-signature': {
    fits: trustsRegistered,
    commands: (m, x) => [{ sender: registered(m, x), meter: m, ...noEmergencyCredit, forgery: { signer: x.attacker } }],
  },
  // On the WAN, in its own name and with its own key, a MAC it had to make up: the meter's trust
  // anchors (its certificate is in no cell).
  'wrong-signer': {
    fits: goodWan,
    commands: (m, x) => [
      { sender: x.attacker, meter: m, ...toPrepayment, route: 'direct', forgery: { mac: 'unknown-key' } },
    ],
  },
  // A captured top-up frame put back on the WAN: real keys, real MAC, the counter the meter last
  // accepted. Nothing but the originator counter stands in its way.
  'replayed-counter': {
    fits: (m, x) => trustsRegistered(m, x) && (x.columns.supplierCellCounter[m] as bigint) > 0n,
    commands: (m, x) => [
      {
        sender: registered(m, x),
        meter: m,
        ...freeCredit,
        route: 'direct',
        counter: x.columns.supplierCellCounter[m] as bigint,
      },
    ],
  },
  // Through the hijacked session again, with a counter equal to the last accepted: the ACB MACs it,
  // the meter's counter check refuses it before it looks at the signature.
  'equal-counter': {
    fits: (m, x) => trustsRegistered(m, x) && (x.columns.supplierCellCounter[m] as bigint) > 0n,
    commands: (m, x) => [
      {
        sender: registered(m, x),
        meter: m,
        ...noEmergencyCredit,
        forgery: { signer: x.attacker },
        counter: x.columns.supplierCellCounter[m] as bigint,
      },
    ],
  },
  // As equal-counter, one DCC clock step older than the last accepted.
  'stale-counter': {
    fits: (m, x) => trustsRegistered(m, x) && (x.columns.supplierCellCounter[m] as bigint) > CLOCK_STEP,
    commands: (m, x) => [
      {
        sender: registered(m, x),
        meter: m,
        ...noEmergencyCredit,
        forgery: { signer: x.attacker },
        counter: (x.columns.supplierCellCounter[m] as bigint) - CLOCK_STEP,
      },
    ],
  },
  // The former supplier, a DCC User, after its certificate is revoked: the DCC's certificate check.
  'revoked-certificate': {
    fits: goodWan,
    commands: (m, x) => [{ sender: x.formerSupplier, meter: m, ...toPrepayment }],
  },
  // The former supplier before the revocation, to meters it does not supply: the DCC's E4.
  'ineligible-sender': {
    fits: goodWan,
    commands: (m, x) => [{ sender: x.formerSupplier, meter: m, ...toPrepayment }],
  },
  // The registered supplier's top-up caught on the WAN, its MAC altered: the meter's MAC check.
  'tampered-mac': {
    fits: trustsRegistered,
    commands: (m, x) => [
      { sender: registered(m, x), meter: m, ...freeCredit, route: 'direct', forgery: { mac: 'flipped' } },
    ],
  },
  // A top-up frame made (and MAC'd) for the neighbouring meter, sent to this one: the recipient check.
  'wrong-recipient': {
    fits: trustsRegistered,
    commands: (m, x) => [
      { sender: registered(m, x), meter: m, ...freeCredit, route: 'direct', forgery: { recipient: 'other-meter' } },
    ],
  },
  // The old network operator, after the handover, asks to take its cell back: the meter's
  // network-operator cell holds the new operator now.
  'old-network-operator': {
    fits: (m, x) => goodWan(m, x) && x.columns.networkOperatorCell[m] === x.newOperator,
    commands: (m, x) => [
      {
        sender: x.oldOperator,
        meter: m,
        kind: ServiceRequest.UpdateNetworkOperatorCredentials,
        argument: x.oldOperator,
      },
    ],
  },
  // A used code typed in again (from the receipt): genuine, already accepted — the UTRN cache.
  'utrn-replay': {
    fits: (m, x) => prepayment(m, x) && x.receipts.has(m),
    commands: (m, x) => {
      const r = x.receipts.get(m) as Receipt;
      return [
        {
          sender: r.supplier,
          meter: m,
          kind: ServiceRequest.TopUp,
          argument: r.pence,
          channel: 'utrn',
          route: 'direct',
          counter: r.counter,
        },
      ];
    },
  },
  // A genuine code issued far ahead of the meter's counter (a stolen advance batch): the ±512 window.
  'utrn-outside-window': {
    fits: prepayment,
    commands: (m, x) => [
      {
        sender: x.columns.supplierCell[m] as number,
        meter: m,
        kind: ServiceRequest.TopUp,
        argument: 2000,
        channel: 'utrn',
        route: 'direct',
        counter: utrnCounter((x.columns.utrnHighest[m] as number) + UTRN_COUNTER_WINDOW + 88),
      },
    ],
  },
  // Codes the attacker made with its own key, one after another, until the keypad locks (and one
  // more): the MAC with the supplier's prepayment key, then the lockout.
  'utrn-brute-force': {
    fits: prepayment,
    commands: (m, x) =>
      Array.from({ length: UTRN_LOCKOUT_STRIKES + 1 }, (_, k) => ({
        sender: x.attacker,
        meter: m,
        kind: ServiceRequest.TopUp,
        argument: 1000 * (k + 1),
        channel: 'utrn' as const,
        route: 'direct' as const,
        counter: utrnCounter((x.columns.utrnHighest[m] as number) + 1 + k),
      })),
  },
};
