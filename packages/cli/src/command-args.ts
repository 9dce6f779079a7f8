/**
 * Every command reads its flags the same way: node:util's parseArgs, strict (an unknown or
 * malformed flag is a usage error that names the command), positionals allowed, -h/--help added.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** What parseArgs returns for these options (strict, positionals allowed, help added). */
export type CommandArgs<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T & typeof HELP; strict: true; allowPositionals: true }>
>;

export function parseCommandArgs<const T extends Options>(command: string, args: string[], options: T): CommandArgs<T> {
  try {
    return parseArgs({ args, options: { ...options, ...HELP }, strict: true, allowPositionals: true });
  } catch (cause) {
    throw new UsageError(`${command}: ${(cause as Error).message}`, { cause });
  }
}
