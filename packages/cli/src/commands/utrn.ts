/**
 * `gbfleet utrn generate|check`: make or validate a 20-digit UTRN with keys from a keystore
 * (the supplier's prepayment KA private key and the device's KA certificate).
 */
import {
  formatEui,
  generateUtrn,
  type Keystore,
  parseEui,
  parseUtrn,
  reconstructUtrnCounter,
  verifyUtrnMac,
} from '@gbfleet/gbcs';
import { parseCommandArgs } from '../command-args.js';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { loadKeystoreDir } from '../keystore-dir.js';

export const UTRN_HELP = `gbfleet utrn generate --keystore DIR --supplier EUI --device EUI --counter N --value V --class pounds|pennies [--json]
gbfleet utrn check    --keystore DIR --supplier EUI --device EUI [--counter N | --highest-counter N] [--json] UTRN

generate  prints the 20-digit UTRN (prepayment top-up code) for V pounds or pennies (0–8191).
          --counter is the 64-bit originator counter: its lower 32 bits must be zero (e.g. 0x100000000).
check     validates a UTRN: structure, check digit, and MAC. The counter comes from --counter, or is
          rebuilt from the code's 10 counter bits near --highest-counter (the meter's highest
          accepted UTRN counter; default 0x100000000). Exit 0 valid, 1 invalid, 2 bad input.

Keys: <supplier>-pp-ka.key (prepayment key agreement, private) and <device>-ka.pem from --keystore.
`;

const OPTIONS = {
  keystore: { type: 'string' },
  supplier: { type: 'string' },
  device: { type: 'string' },
  counter: { type: 'string' },
  'highest-counter': { type: 'string' },
  value: { type: 'string' },
  class: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function utrnCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(UTRN_HELP);
    return 0;
  }
  if (sub !== 'generate' && sub !== 'check') {
    throw new UsageError(`unknown utrn subcommand ${JSON.stringify(sub)}: expected "generate" or "check"`);
  }
  const { values: v, positionals } = parseCommandArgs(`utrn ${sub}`, rest, OPTIONS);
  if (v.help) {
    io.out(UTRN_HELP);
    return 0;
  }
  const supplier = euiFlag('--supplier', v.supplier);
  const device = euiFlag('--device', v.device);
  if (v.keystore === undefined) throw new UsageError('--keystore DIR is required');
  const keystore = loadKeystoreDir(v.keystore);
  const secret = sharedSecret(keystore, supplier, device);

  if (sub === 'generate') {
    if (positionals.length > 0)
      throw new UsageError(`utrn generate takes no positional arguments, got ${positionals.join(' ')}`);
    const counter = counterFlag('--counter', v.counter, true);
    const value = valueFlag(v.value);
    const valueClass = classFlag(v.class);
    const r = generateUtrn({ sharedSecret: secret, supplier, device, counter, value, valueClass });
    io.out(
      v.json
        ? `${JSON.stringify({ utrn: r.utrn, pptd: r.pptd.toString(), ptut: `0x${r.ptut.toString(16).toUpperCase().padStart(16, '0')}`, supplier: formatEui(supplier), device: formatEui(device), counter: `0x${counter.toString(16).toUpperCase()}`, value, class: valueClass })}\n`
        : `${r.utrn}\n`,
    );
    return 0;
  }

  if (positionals.length !== 1) throw new UsageError('utrn check takes exactly one UTRN');
  if (v.counter !== undefined && v['highest-counter'] !== undefined) {
    throw new UsageError('give --counter or --highest-counter, not both');
  }
  // Flags first: a bad flag is bad input (exit 2) whatever the UTRN, and must not hide behind it.
  const exact = v.counter !== undefined ? counterFlag('--counter', v.counter, true) : undefined;
  const highest = counterFlag('--highest-counter', v['highest-counter'] ?? '0x100000000', false);
  const text = positionals[0] as string;
  const p = parseUtrn(text);
  if (!p.ok) {
    io.out(
      v.json
        ? `${JSON.stringify({ utrn: text, valid: false, error: { code: p.code, message: p.message } })}\n`
        : `invalid: ${p.code}: ${p.message}\n`,
    );
    return 1;
  }
  const counter = exact ?? reconstructUtrnCounter(p.counterBits, highest);
  const macValid = counter !== null && verifyUtrnMac(p, { sharedSecret: secret, supplier, device, counter });
  const report = {
    utrn: text.replace(/[\s-]/g, ''),
    valid: macValid,
    value: p.value,
    class: p.valueClass,
    counterBits: p.counterBits,
    counter: counter === null ? null : `0x${counter.toString(16).toUpperCase()}`,
    mac: counter === null ? 'counter-outside-window' : macValid ? 'valid' : 'invalid',
  };
  io.out(
    v.json
      ? `${JSON.stringify(report)}\n`
      : `${macValid ? 'valid' : 'invalid'}: ${p.value} ${p.valueClass}, counter bits ${p.counterBits} (counter ${report.counter ?? 'outside the ±512 window'}), MAC ${report.mac}\n`,
  );
  return macValid ? 0 : 1;
}

function euiFlag(flag: string, value: string | undefined): bigint {
  if (value === undefined) throw new UsageError(`${flag} EUI is required (16 hex digits, e.g. 90B3D51F30010000)`);
  try {
    return parseEui(value);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not an EUI-64: use 16 hex digits, e.g. 90B3D51F30010000`);
  }
}

function counterFlag(flag: string, value: string | undefined, utrnCounter: boolean): bigint {
  if (value === undefined)
    throw new UsageError(`${flag} N is required (decimal or 0x-hex, lower 32 bits zero, e.g. 0x100000000)`);
  // The pattern admits only what BigInt parses, so BigInt cannot throw below.
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a number: use decimal or 0x-hex`);
  }
  const n = BigInt(value);
  if (n <= 0n || n > 0xffff_ffff_ffff_ffffn) throw new UsageError(`${flag} ${value} must be a positive 64-bit value`);
  if (utrnCounter && (n & 0xffff_ffffn) !== 0n) {
    throw new UsageError(`${flag} ${value}: a UTRN counter has its lower 32 bits zero (e.g. 0x100000000, 0x200000000)`);
  }
  return n;
}

function valueFlag(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > 8191) {
    throw new UsageError(`--value ${JSON.stringify(value ?? '')} must be an integer from 0 to 8191`);
  }
  return Number(value);
}

function classFlag(value: string | undefined): 'pounds' | 'pennies' {
  if (value !== 'pounds' && value !== 'pennies') {
    throw new UsageError(`--class ${JSON.stringify(value ?? '')} must be "pounds" or "pennies"`);
  }
  return value;
}

function sharedSecret(keystore: Keystore, supplier: bigint, device: bigint): Uint8Array {
  if (!keystore.privateKey(supplier, 'pp-ka')) {
    throw new InputError(
      `the keystore has no prepayment key for the supplier: expected ${formatEui(supplier).toLowerCase()}-pp-ka.key`,
    );
  }
  if (!keystore.publicKey(device, 'ka')) {
    throw new InputError(
      `the keystore has no KA certificate for the device: expected ${formatEui(device).toLowerCase()}-ka.pem`,
    );
  }
  return keystore.sharedSecret(supplier, 'pp-ka', device, 'ka') as Uint8Array;
}
