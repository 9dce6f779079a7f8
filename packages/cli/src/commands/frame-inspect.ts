/**
 * `gbfleet frame inspect [--keystore DIR] [--json] FILE|DIR...`: decodes GBCS messages from hex
 * files (folders are walked, sorted) and says whether each signature and MAC is valid. A file
 * that cannot be read or decoded is reported and the command goes on with the next one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DecodedFrame,
  decodeFrame,
  formatEui,
  formatMessageCode,
  type Keystore,
  useCaseName,
  verifyFrameMac,
  verifyFrameSignature,
} from '@gbfleet/gbcs';
import { parseCommandArgs } from '../command-args.js';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { loadKeystoreDir } from '../keystore-dir.js';

/** The DCC Access Control Broker: the MAC end of every command (RTDS test EUI). */
const ACB_EUI = 0x90b3d51f30000002n;

export const FRAME_INSPECT_HELP = `gbfleet frame inspect [--keystore DIR] [--json] FILE|DIR...

Decodes GBCS messages (files of hex; folders are searched for *.hex, sorted) and prints each
header, and whether its signature and MAC are valid, invalid, absent, or unverifiable (the key is
not in the keystore). Keys: --keystore DIR in DCC's RTDS layout (<eui>-ds.pem, <eui>-ka.key, …);
a command's MAC is checked with ECDH(ACB ${formatEui(ACB_EUI)} KA, device KA), a response's or
alert's with ECDH(device KA, recipient KA).

  --keystore DIR   keys to check signatures and MACs with
  --json           one JSON object per line and per file: file, cra, originatorCounter,
                   originator, recipient, messageCode, useCase, signature, mac — or file, error

Exit code: 0 when every file decoded, 1 when some did not (each is reported), 2 on bad flags
or a folder with no .hex files in it.
`;

type Check = 'absent' | 'valid' | 'invalid' | 'unverifiable';

interface Inspection {
  file: string;
  cra: 'command' | 'response' | 'alert';
  originatorCounter: string;
  originator: string;
  recipient: string;
  messageCode: string;
  useCase: string | null;
  signature: Check;
  mac: Check;
}

interface Failure {
  file: string;
  error: { code: string; message: string };
}

export async function frameInspectCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('frame inspect', args, { keystore: { type: 'string' }, json: { type: 'boolean' } });
  if (parsed.values.help) {
    io.out(FRAME_INSPECT_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError('frame inspect: give at least one FILE or DIR of hex messages');
  }
  const keystore = parsed.values.keystore === undefined ? undefined : loadKeystoreDir(parsed.values.keystore);
  let failures = 0;
  for (const file of expandPaths(parsed.positionals)) {
    const result = inspectFile(file, keystore);
    if ('error' in result) failures++;
    io.out(parsed.values.json ? `${JSON.stringify(result)}\n` : renderText(result));
  }
  return failures === 0 ? 0 : 1;
}

/**
 * Files as given; folders walked recursively for *.hex, in sorted order. Unreadable paths stay,
 * to be reported. A folder with no .hex file in it is bad input (a wrong folder, most likely):
 * GBF_INPUT before anything is inspected, rather than an empty success.
 */
function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.hex$/i.test(name)) out.push(path);
    }
  };
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // Not there: reported by inspectFile as a read error.
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    const before = out.length;
    walk(path);
    if (out.length === before) {
      throw new InputError(
        `frame inspect: ${path} holds no .hex files (searched with its sub-folders): give files of hex messages, or a folder of them`,
      );
    }
  }
  return out;
}

export function inspectFile(file: string, keystore: Keystore | undefined): Inspection | Failure {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    return { file, error: { code: 'GBF_INPUT', message: `cannot read: ${(cause as Error).message}` } };
  }
  const hex = text.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
    return { file, error: { code: 'GBF_INPUT', message: 'the file is not an even-length string of hex digits' } };
  }
  const decoded = decodeFrame(new Uint8Array(Buffer.from(hex, 'hex')));
  if (!decoded.ok) {
    return { file, error: { code: decoded.code, message: `${decoded.detail}: ${decoded.message}` } };
  }
  const frame = decoded.frame;
  return {
    file,
    cra: frame.cra === 1 ? 'command' : frame.cra === 2 ? 'response' : 'alert',
    originatorCounter: frame.originatorCounter.toString(),
    originator: formatEui(frame.originator),
    recipient: formatEui(frame.recipient),
    messageCode: formatMessageCode(frame.messageCode),
    useCase: useCaseName(frame.messageCode),
    signature: checkSignature(frame, keystore),
    mac: checkMac(frame, keystore),
  };
}

function checkSignature(frame: DecodedFrame, keystore: Keystore | undefined): Check {
  if (!frame.signature) return 'absent';
  const key = keystore?.publicKey(frame.originator, 'ds');
  if (!key) return 'unverifiable';
  return verifyFrameSignature(frame, key) ? 'valid' : 'invalid';
}

function checkMac(frame: DecodedFrame, keystore: Keystore | undefined): Check {
  if (!frame.mac) return 'absent';
  const z =
    frame.cra === 1
      ? keystore?.sharedSecret(ACB_EUI, 'ka', frame.recipient, 'ka')
      : keystore?.sharedSecret(frame.recipient, 'ka', frame.originator, 'ka');
  if (!z) return 'unverifiable';
  return verifyFrameMac(frame, z) ? 'valid' : 'invalid';
}

function renderText(result: Inspection | Failure): string {
  if ('error' in result) return `${result.file}\n  error      ${result.error.code}: ${result.error.message}\n`;
  return [
    result.file,
    `  ${result.cra} ${result.messageCode}${result.useCase ? ` (${result.useCase})` : ''}, counter ${result.originatorCounter}`,
    `  ${result.originator} → ${result.recipient}`,
    `  signature ${result.signature}, MAC ${result.mac}`,
    '',
  ].join('\n');
}
