/**
 * Loads a keystore directory (DCC RTDS layout: `<eui>-<ds|ka|pp-ka>.pem|.key`) into a core
 * `Keystore`. The CLI owns the file I/O; parsing stays in core.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isKeystoreFileName, Keystore } from '@gbfleet/gbcs';
import { InputError } from './errors.js';

export function loadKeystoreDir(dir: string): Keystore {
  let names: string[] | undefined;
  try {
    if (statSync(dir).isDirectory()) names = readdirSync(dir).filter(isKeystoreFileName).sort();
  } catch (cause) {
    throw new InputError(`cannot read keystore directory ${dir}: ${(cause as Error).message}`, { cause });
  }
  if (names === undefined) throw new InputError(`cannot read keystore directory ${dir}: not a directory`);
  if (names.length === 0) {
    throw new InputError(
      `keystore directory ${dir} holds no key files: expected names like 90b3d51f30010000-ds.pem or -ka.key`,
    );
  }
  try {
    return Keystore.fromFiles(names.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })));
  } catch (cause) {
    throw new InputError(`keystore ${dir}: ${(cause as Error).message}`, { cause });
  }
}
