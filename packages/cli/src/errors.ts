/**
 * CLI errors: gbfleet errors (GbfleetError, with a stable code) that also carry the exit code.
 * `main.ts` turns them into a one-paragraph message on stderr and that exit code (2 for bad
 * input, 1 for a failed run). Every code: docs/errors.md.
 */
import { GbfleetError, gbfleetCodeOf } from '@gbfleet/gbcs';

export class CliError extends GbfleetError {
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A CLI error, told by its code and exit code (not `instanceof`, which a second copy of the module would defeat). */
export function isCliError(error: unknown): error is CliError {
  return gbfleetCodeOf(error) !== undefined && typeof (error as { exitCode?: unknown }).exitCode === 'number';
}

/** Bad flags, arguments or input files: nothing ran, exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_USAGE', message, 2, options);
    this.name = 'UsageError';
  }
}

/** An input file or directory cannot be read or parsed: exit 2. */
export class InputError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_INPUT', message, 2, options);
    this.name = 'InputError';
  }
}

/**
 * A library error whose `code` matches `codes` means bad input: it becomes an InputError that
 * names the command. Anything else is rethrown as it is. Matched on `code`, not `instanceof`.
 */
export function rethrowAsInputError(command: string, error: unknown, codes: RegExp): never {
  const code = gbfleetCodeOf(error);
  if (code !== undefined && codes.test(code)) {
    throw new InputError(`${command}: ${(error as Error).message}`, { cause: error });
  }
  throw error;
}
