/**
 * Test helper: DCC's RTDS reference messages and keystore from `shared/fixtures/gbcs-rtds`
 * (beside the repository root). Missing fixtures fail loudly: a conformance test that skips
 * would pass vacuously.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexToBytes, Keystore } from '../../src/index.ts';

export const RTDS_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/gbcs-rtds/', import.meta.url));
export const KEYSTORE_DIR = join(RTDS_DIR, 'keystore');
export const MESSAGES_DIR = join(RTDS_DIR, 'messages');
export const ACB_EUI = 0x90b3d51f30000002n;

function requireDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `RTDS fixtures not found at ${dir}: the conformance tests need shared/fixtures/gbcs-rtds beside the repository`,
    );
  }
}

let keystore: Keystore | undefined;
export function rtdsKeystore(): Keystore {
  if (keystore) return keystore;
  requireDir(KEYSTORE_DIR);
  const names = readdirSync(KEYSTORE_DIR).sort();
  keystore = Keystore.fromFiles(names.map((name) => ({ name, text: readFileSync(join(KEYSTORE_DIR, name), 'utf8') })));
  return keystore;
}

export type RtdsKind = 'COMMAND' | 'PRECOMMAND' | 'RESPONSE' | 'ALERT';

export interface RtdsMessage {
  folder: string;
  name: string;
  path: string;
  kind: RtdsKind;
  bytes: Uint8Array;
}

export function rtdsKind(name: string): RtdsKind {
  if (/_PRECOMMAND_GBCS\.HEX$/i.test(name)) return 'PRECOMMAND';
  if (/_COMMAND_GBCS\.HEX$/i.test(name)) return 'COMMAND';
  if (/_RESPONSE_GBCS\.HEX$/i.test(name)) return 'RESPONSE';
  if (/_ALERT(_[A-Z0-9_]+)?_GBCS\.HEX$/i.test(name)) return 'ALERT';
  throw new Error(`cannot tell the kind of RTDS message ${name}`);
}

let messages: RtdsMessage[] | undefined;
export function rtdsMessages(): RtdsMessage[] {
  if (messages) return messages;
  requireDir(MESSAGES_DIR);
  const out: RtdsMessage[] = [];
  for (const folder of readdirSync(MESSAGES_DIR).sort()) {
    const dir = join(MESSAGES_DIR, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      out.push({ folder, name, path, kind: rtdsKind(name), bytes: hexToBytes(readFileSync(path, 'utf8')) });
    }
  }
  messages = out;
  return out;
}
