/**
 * A full disk or a read-only place, told from whatever failed while writing output: Node's errno
 * code (ENOSPC, EDQUOT for a quota, EROFS) or DuckDB's IO Error, which carries strerror's words.
 * Every writer of output passes its failures through `diskProblemOr`, so the user reads "the disk
 * is full: <path>" or "<path> is on a read-only file system" with a code, not a raw DuckDB message.
 */
import { DiskFullError, ReadOnlyPlaceError } from './errors.js';

const FULL = { codes: ['ENOSPC', 'EDQUOT', 'GBF_DISK_FULL'], words: /no space left on device|disk quota exceeded/i };
const READ_ONLY = { codes: ['EROFS', 'GBF_READ_ONLY'], words: /read-only file system/i };

function anyInChain(error: unknown, kind: { codes: string[]; words: RegExp }): boolean {
  for (let e = error, depth = 0; e !== null && e !== undefined && depth < 8; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && kind.codes.includes(code)) return true;
    if (typeof message === 'string' && kind.words.test(message)) return true;
    e = cause;
  }
  return false;
}

/** True when `error`, or any error in its `cause` chain, is a full disk or quota. */
export function isDiskFull(error: unknown): boolean {
  return anyInChain(error, FULL);
}

/** True when `error`, or any error in its `cause` chain, is a read-only file system. */
export function isReadOnlyPlace(error: unknown): boolean {
  return anyInChain(error, READ_ONLY);
}

/**
 * `error` as a DiskFullError or ReadOnlyPlaceError naming `path` when that is what happened, else
 * `error` unchanged. `kept` names a partial file left behind, if any.
 */
export function diskProblemOr(error: unknown, path: string, kept?: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'GBF_DISK_FULL' || code === 'GBF_READ_ONLY') return error;
  if (isDiskFull(error)) return new DiskFullError(path, kept, { cause: error });
  if (isReadOnlyPlace(error)) return new ReadOnlyPlaceError(path, { cause: error });
  return error;
}
