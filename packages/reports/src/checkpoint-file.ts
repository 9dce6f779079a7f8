/**
 * A run's checkpoint on disk, beside its `.partial` run database (`<run>.duckdb.partial.checkpoint`):
 *
 *   "GBFCKPT1" | u64 n | identity (JSON, n bytes) | u64 m | engine state (v8, m bytes)
 *   | the owned meters' fleet columns, in layout order | SHA-256 of all that came before
 *
 * It is written to `<path>.tmp`, synced, then renamed over the last one, so a kill at any moment
 * leaves the previous checkpoint or the new one, never a torn file; the digest catches a file
 * damaged since. The identity says which run, segment and gbfleet version it belongs to, and holds
 * the scenario as run, so a resume needs nothing but the path.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import {
  COLUMN_KIND_BYTES,
  decodeCheckpointHead,
  encodeCheckpointHead,
  FLEET_COLUMNS,
  type FleetColumnName,
  type RunCheckpoint,
  type ScenarioSpec,
  type SegmentSpec,
} from '@gbfleet/core';
import { diskProblemOr } from './disk-problem.js';
import { CheckpointError } from './errors.js';

const MAGIC = Buffer.from('GBFCKPT1', 'latin1');
const DIGEST_BYTES = 32;

/** Which run a checkpoint belongs to. */
export interface CheckpointIdentity {
  runId: string;
  scenarioHash: string;
  /** The gbfleet that wrote it: a checkpoint is resumed by the same version only. */
  codeVersion: string;
  /** The scenario as run, every override applied. */
  spec: ScenarioSpec;
  segment: SegmentSpec | null;
  /** Steps done when it was taken (also in the engine state; here so a listing need not decode it). */
  step: number;
  steps: number;
  takenAt: string;
}

export function checkpointPathOf(partialPath: string): string {
  return `${partialPath}.checkpoint`;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** Writes the checkpoint atomically; a full disk or read-only place is a coded error naming `path`. */
export function writeCheckpointFile(path: string, identity: CheckpointIdentity, checkpoint: RunCheckpoint): void {
  const tmp = `${path}.tmp`;
  const id = Buffer.from(JSON.stringify(identity), 'utf8');
  const head = encodeCheckpointHead(checkpoint);
  const hash = createHash('sha256');
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const put = (bytes: Uint8Array) => {
      hash.update(bytes);
      for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd as number, bytes, at);
    };
    for (const part of [MAGIC, u64(id.length), id, u64(head.length), head]) put(part);
    for (const name of Object.keys(FLEET_COLUMNS) as FleetColumnName[]) {
      const view = checkpoint.fleet[name];
      // Straight from the fleet's shared memory: no copy of the columns is made.
      put(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
    }
    put(hash.copy().digest());
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncFolder(dirname(path));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw diskProblemOr(error, path);
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot sync a folder; the rename is still atomic there.
  }
}

/** Just the identity, cheaply (no digest check): for listings. Null when the file is not a checkpoint. */
export function readCheckpointIdentity(path: string): CheckpointIdentity | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const start = Buffer.alloc(16);
      if (readFullySync(fd, start, 0) < 16 || !start.subarray(0, 8).equals(MAGIC)) return null;
      const n = Number(start.readBigUInt64BE(8));
      if (n > 16 * 1024 * 1024) return null;
      const id = Buffer.alloc(n);
      if (readFullySync(fd, id, 16) < n) return null;
      return identityOf(path, id);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function readFullySync(fd: number, into: Buffer, position: number): number {
  let got = 0;
  while (got < into.length) {
    const n = readSyncAt(fd, into, got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function readSyncAt(fd: number, into: Buffer, offset: number, position: number): number {
  return readSync(fd, into, offset, into.length - offset, position);
}

function identityOf(path: string, bytes: Buffer): CheckpointIdentity {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CheckpointError(path, 'its identity is not JSON: the file is damaged');
  }
  const id = value as Partial<CheckpointIdentity> | null;
  const ok =
    id !== null &&
    typeof id === 'object' &&
    typeof id.runId === 'string' &&
    typeof id.scenarioHash === 'string' &&
    typeof id.codeVersion === 'string' &&
    typeof id.spec === 'object' &&
    id.spec !== null &&
    Number.isInteger(id.step) &&
    Number.isInteger(id.steps);
  if (!ok) throw new CheckpointError(path, 'its identity lacks the run id, version, scenario or step');
  return id as CheckpointIdentity;
}

/** The whole checkpoint, every length and the digest checked; CheckpointError when it cannot be used. */
export function readCheckpointFile(path: string): { identity: CheckpointIdentity; checkpoint: RunCheckpoint } {
  if (!existsSync(path)) throw new CheckpointError(path, 'there is no checkpoint: the run cannot be resumed');
  const file = readFileSync(path);
  const damaged = (why: string) => new CheckpointError(path, `the checkpoint is damaged (${why})`);
  if (file.length < MAGIC.length + 16 + DIGEST_BYTES || !file.subarray(0, 8).equals(MAGIC)) {
    throw damaged('it does not begin as a gbfleet checkpoint');
  }
  const body = file.subarray(0, file.length - DIGEST_BYTES);
  if (!createHash('sha256').update(body).digest().equals(file.subarray(body.length))) {
    throw damaged('its digest does not match: truncated or changed since it was written');
  }
  let at = 8;
  const take = (what: string): Buffer => {
    if (at + 8 > body.length) throw damaged(`no length for ${what}`);
    const n = Number(body.readBigUInt64BE(at));
    at += 8;
    if (n > body.length - at) throw damaged(`${what} runs past the end`);
    const part = body.subarray(at, at + n);
    at += n;
    return part;
  };
  const identity = identityOf(path, take('the identity'));
  const head = take('the engine state');
  const owned = { lo: 0, hi: 0 };
  let checkpoint: RunCheckpoint;
  try {
    // The meter range is in the head; the columns follow it, sized by it.
    const probe = decodeCheckpointHead(head, {} as RunCheckpoint['fleet']);
    Object.assign(owned, probe.owned);
    const fleet = {} as RunCheckpoint['fleet'];
    for (const [name, kind] of Object.entries(FLEET_COLUMNS) as Array<[FleetColumnName, string]>) {
      const n = (owned.hi - owned.lo) * COLUMN_KIND_BYTES[kind as keyof typeof COLUMN_KIND_BYTES];
      if (n > body.length - at) throw damaged(`fleet column ${name} runs past the end`);
      fleet[name] = body.subarray(at, at + n);
      at += n;
    }
    if (at !== body.length) throw damaged(`${body.length - at} bytes after the fleet columns`);
    checkpoint = { ...probe, fleet };
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(path, (error as Error).message, { cause: error });
  }
  if (identity.step !== checkpoint.step) throw damaged('its identity and state disagree on the step');
  return { identity, checkpoint };
}
