/**
 * CLI errors. Each has a stable code; `main.ts` turns them into a one-paragraph message on
 * stderr and an exit code (2 for bad input, 1 for a failed run). Codes are listed in the README.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
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
  const err = error as { code?: unknown; message?: unknown };
  if (typeof err.code === 'string' && codes.test(err.code)) {
    throw new InputError(`${command}: ${String(err.message)}`, { cause: error });
  }
  throw error;
}
