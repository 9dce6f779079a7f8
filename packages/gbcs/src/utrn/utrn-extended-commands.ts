/**
 * The extended UTRN command set (DP094's wish list for meters without WAN): for each command, its
 * GBCS message code, the variant that tells apart commands sharing a code, 40 or 60 digits, and
 * its parameters with their bit widths and ranges. Append-only: a code's meaning never changes.
 * The layout of the codes that carry them is utrn-extended.ts.
 */
import { InvalidArgumentError } from '../errors.js';
import { MessageCode } from '../frames/message-codes.js';

export type ExtendedUtrnDigits = 40 | 60;

export interface ExtendedParamDef {
  name: string;
  bits: number;
  /** Allowed range; a negative `min` means the field is two's complement in `bits`. */
  min: number;
  max: number;
}

export interface ExtendedUtrnCommandDef {
  name: string;
  /** GBCS message code of the use case; 0xFF01/0xFF02 are gbfleet's own (no single GBCS use case). */
  messageCode: number;
  /** Tells apart commands that share a message code (e.g. ECS04a deduct vs set credit). */
  variant: number;
  digits: ExtendedUtrnDigits;
  what: string;
  params: readonly ExtendedParamDef[];
  /** A rule across parameters; returns what is wrong, or null. */
  check?: (params: Readonly<Record<string, number>>) => string | null;
}

const pence = (name: string): ExtendedParamDef => ({ name, bits: 24, min: 0, max: 0xff_ffff });
const hour = (name: string): ExtendedParamDef => ({ name, bits: 5, min: 0, max: 23 });
const price = (name: string): ExtendedParamDef => ({ name, bits: 20, min: 0, max: 0xf_ffff });
const days = (name: string): ExtendedParamDef => ({ name, bits: 7, min: 0, max: 127 });

/** Private message codes for the two DP094 items without a single GBCS use case. */
export const GBFLEET_REVERT_TO_DEFAULT = 0xff01;
export const GBFLEET_OPEN_HAN = 0xff02;

/** The command set, append-only (a code's meaning must not change). */
export const EXTENDED_UTRN_COMMANDS: readonly ExtendedUtrnCommandDef[] = [
  {
    name: 'deduct-credit',
    messageCode: MessageCode.ECS04a,
    variant: 0,
    digits: 40,
    what: 'take credit off the meter balance',
    params: [pence('amountPence')],
  },
  {
    name: 'set-credit',
    messageCode: MessageCode.ECS04a,
    variant: 1,
    digits: 40,
    what: 'set the meter balance',
    params: [{ name: 'balancePence', bits: 28, min: -(2 ** 27), max: 2 ** 27 - 1 }],
  },
  {
    name: 'change-price',
    messageCode: 0x0019, // ECS01a update import tariff
    variant: 0,
    digits: 40,
    what: 'single-rate tariff: unit price (1/1000 p per kWh) and standing charge (1/100 p per day)',
    params: [price('unitMilliPencePerKwh'), price('standingCentiPencePerDay')],
  },
  {
    name: 'change-price-two-rate',
    messageCode: 0x0019,
    variant: 1,
    digits: 60,
    what: 'two-rate tariff: two unit prices, standing charge, and the hours the second rate applies',
    params: [price('unit1MilliPencePerKwh'), price('unit2MilliPencePerKwh'), price('standingCentiPencePerDay')].concat([
      hour('rate2FromHour'),
      hour('rate2ToHour'),
    ]),
  },
  {
    name: 'revert-to-default',
    messageCode: GBFLEET_REVERT_TO_DEFAULT,
    variant: 0,
    digits: 40,
    what: 'revert to default settings and remove consumer data (change of tenancy)',
    params: [],
  },
  {
    name: 'open-han',
    messageCode: GBFLEET_OPEN_HAN,
    variant: 0,
    digits: 40,
    what: 'open the HAN for a device to join, for a number of minutes',
    params: [{ name: 'joinMinutes', bits: 16, min: 1, max: 0xffff }],
  },
  {
    name: 'credit-mode',
    messageCode: MessageCode.ECS02,
    variant: 0,
    digits: 40,
    what: 'change payment mode to credit',
    params: [],
  },
  {
    name: 'prepayment-mode',
    messageCode: MessageCode.ECS03,
    variant: 0,
    digits: 40,
    what: 'change payment mode to prepayment',
    params: [],
  },
  {
    name: 'add-debt',
    messageCode: MessageCode.ECS07,
    variant: 0,
    digits: 40,
    what: 'add debt, recovered at a weekly rate',
    params: [pence('amountPence'), { name: 'recoveryPencePerWeek', bits: 16, min: 0, max: 0xffff }],
  },
  {
    name: 'deduct-debt',
    messageCode: MessageCode.ECS07,
    variant: 1,
    digits: 40,
    what: 'take an amount off the debt',
    params: [pence('amountPence')],
  },
  {
    name: 'set-debt',
    messageCode: MessageCode.ECS07,
    variant: 2,
    digits: 40,
    what: 'set the debt and its weekly recovery rate',
    params: [pence('amountPence'), { name: 'recoveryPencePerWeek', bits: 16, min: 0, max: 0xffff }],
  },
  {
    name: 'set-emergency-credit',
    messageCode: MessageCode.ECS08,
    variant: 0,
    digits: 40,
    what: 'prepayment configuration: emergency-credit limit',
    params: [pence('limitPence')],
  },
  {
    name: 'set-non-disconnect',
    messageCode: MessageCode.ECS08,
    variant: 1,
    digits: 40,
    what: 'prepayment configuration: non-disablement calendar (0 none, 1 friendly hours, 2 always)',
    params: [{ name: 'calendar', bits: 2, min: 0, max: 2 }],
  },
  {
    name: 'set-friendly-credit-times',
    messageCode: MessageCode.ECS08,
    variant: 2,
    digits: 60,
    what: 'prepayment configuration: up to three friendly-credit periods (days of the week, from hour, to hour)',
    params: [
      { name: 'periods', bits: 2, min: 1, max: 3 },
      days('days1'),
      hour('from1'),
      hour('to1'),
      days('days2'),
      hour('from2'),
      hour('to2'),
      days('days3'),
      hour('from3'),
      hour('to3'),
    ],
    check: (p) => {
      for (let k = (p.periods as number) + 1; k <= 3; k++) {
        if (p[`days${k}`] !== 0 || p[`from${k}`] !== 0 || p[`to${k}`] !== 0) {
          return `period ${k} is beyond periods = ${p.periods} and must be all zero`;
        }
      }
      return null;
    },
  },
];

const BY_NAME = new Map(EXTENDED_UTRN_COMMANDS.map((c) => [c.name, c]));
const BY_CODE = new Map(EXTENDED_UTRN_COMMANDS.map((c) => [`${c.digits}:${c.messageCode}:${c.variant}`, c]));

/** The command a code of `digits` digits carries, by its message code and variant; undefined if none. */
export function extendedUtrnCommandByCode(
  digits: ExtendedUtrnDigits,
  messageCode: number,
  variant: number,
): ExtendedUtrnCommandDef | undefined {
  return BY_CODE.get(`${digits}:${messageCode}:${variant}`);
}

export function extendedUtrnCommand(name: string): ExtendedUtrnCommandDef {
  const def = BY_NAME.get(name);
  if (!def) {
    throw new InvalidArgumentError(
      `${JSON.stringify(name)} is not an extended UTRN command; the commands are ${[...BY_NAME.keys()].join(', ')}`,
    );
  }
  return def;
}
