/**
 * Errors thrown by @gbfleet/gbcs for programming or configuration mistakes, and the base class
 * every gbfleet package's coded errors extend.
 * Expected outcomes (a hostile frame, a rejected command) are values, not throws.
 * Match on `code`, never on `instanceof`: structured clone across a worker drops subclasses.
 */
export class GbfleetError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GbfleetError';
    this.code = code;
  }
}

/** A value given to a core API is out of range or malformed (EUI, counter, key, ...). */
export class InvalidArgumentError extends GbfleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** A key the operation needs is not known (not in the keystore, not derived). */
export class MissingKeyError extends GbfleetError {
  constructor(message: string) {
    super('GBF_MISSING_KEY', message);
    this.name = 'MissingKeyError';
  }
}

/** A keystore entry cannot be parsed as the PEM certificate or PKCS#8 key its name says. */
export class KeystoreEntryError extends GbfleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GBF_KEYSTORE_ENTRY', message, options);
    this.name = 'KeystoreEntryError';
  }
}

/**
 * The `GBF_…` code of a gbfleet error, or undefined for anything else. Match on this, not on
 * `instanceof`: an error cloned from a worker, or made by a second copy of a package, keeps its
 * code but not its class.
 */
export function gbfleetCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('GBF_') ? code : undefined;
}
