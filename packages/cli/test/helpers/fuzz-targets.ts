/**
 * Fuzz targets, one per decoder (issue 18): GBCS frames (General Ciphering and signed), UTRNs
 * of 20, 40 and 60 digits, keystore PEM and DER, scenario YAML and segment manifests. Each seeds
 * its corpus from real inputs (DCC's RTDS messages and keys, the shipped scenarios, a valid
 * manifest, freshly generated UTRNs) and checks its own invariants beside the harness's.
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocateFleet, CHECKPOINT_FORMAT, fleetBytesOf } from '@gbfleet/core';
import {
  type DecodedFrame,
  decodeFrame,
  EXTENDED_UTRN_COMMANDS,
  encodeApdu,
  encodeMacWrapped,
  generateExtendedUtrn,
  generateUtrn,
  Keystore,
  parseExtendedUtrn,
  parseUtrn,
  readBerLength,
  verifyExtendedUtrnMac,
  verifyFrameMac,
  verifyFrameSignature,
  verifyUtrnMac,
} from '@gbfleet/gbcs';
import { readCheckpointFile, readSegmentManifest, writeCheckpointFile } from '@gbfleet/reports';
import { ACB_EUI, KEYSTORE_DIR, rtdsKeystore, rtdsMessages } from '../../../gbcs/test/helpers/rtds.ts';
import { pluginEventTypes, pluginSections } from '../../src/plugins.ts';
import { loadScenarioVariants } from '../../src/scenario-file.ts';
import { type FuzzTarget, InvariantBreak, mutateBytes, mutateText, Rng, type Rng as RngType } from './fuzz-harness.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

// ─── GBCS frames ────────────────────────────────────────────────────────────

interface FrameSeed {
  bytes: Uint8Array;
  /** Offsets of BER lengths: where a length read there ends at a structure boundary. */
  lengthAt: number[];
}

function frameSeed(bytes: Uint8Array): FrameSeed {
  const lengthAt: number[] = [];
  const ends = new Set([bytes.length, bytes.length - 12, bytes.length - 65, bytes.length - 77, bytes.length - 1]);
  for (let p = 1; p < bytes.length; p++) {
    const r = readBerLength(bytes, p);
    if (r.ok && r.length > 0 && ends.has(r.next + r.length)) lengthAt.push(p);
  }
  return { bytes, lengthAt };
}

/** Re-encodes an accepted frame: the decoder is canonical, so this must give the input back. */
function reencode(f: DecodedFrame): Uint8Array {
  const apdu = encodeApdu(f, f.signature ?? (f.signatureLengthAbsent ? 'absent' : 'empty'));
  return f.mac ? encodeMacWrapped(apdu, f.mac) : apdu;
}

function frameTarget(name: string, pick: (bytes: Uint8Array, f: DecodedFrame) => boolean): FuzzTarget {
  const keystore = rtdsKeystore();
  const seeds: FrameSeed[] = [];
  const originals = new Set<string>();
  for (const m of rtdsMessages()) {
    const d = decodeFrame(m.bytes);
    if (!d.ok || !pick(m.bytes, d.frame)) continue;
    seeds.push(frameSeed(m.bytes));
    originals.add(hex(m.bytes));
  }
  return {
    name,
    input(rng) {
      const roll = rng.below(100);
      if (roll < 8) return rng.bytes(rng.below(400));
      if (roll < 12) return Uint8Array.from([rng.pick([0xdd, 0xdf]), ...rng.bytes(rng.below(300))]);
      const seed = rng.pick(seeds);
      if (roll < 14) return seed.bytes.slice();
      return mutateBytes(rng, seed.bytes, seed.lengthAt);
    },
    run(bytes) {
      const result = decodeFrame(bytes);
      if (!result.ok) return result.code;
      const f = result.frame;
      const again = reencode(f);
      if (hex(again) !== hex(bytes)) throw new InvariantBreak(`re-encoding an accepted frame gave ${hex(again)}`);
      if (originals.has(hex(bytes))) return 'ok';
      const key = keystore.publicKey(f.originator, 'ds');
      const z =
        f.cra === 1
          ? keystore.sharedSecret(ACB_EUI, 'ka', f.recipient, 'ka')
          : keystore.sharedSecret(f.recipient, 'ka', f.originator, 'ka');
      const sigOk = f.signature !== null && key !== undefined && verifyFrameSignature(f, key);
      const macOk = f.mac !== null && z !== undefined && verifyFrameMac(f, z);
      if ((f.signature || f.mac) && (f.signature ? sigOk : true) && (f.mac ? macOk : true)) {
        throw new InvariantBreak('a mutated frame verifies as validly signed and MACd');
      }
      return 'ok';
    },
  };
}

/** General Ciphering (DD, MAC'd) frames. */
export const frameGeneralTarget = () => frameTarget('frame-general', (bytes) => bytes[0] === 0xdd);
/** Frames carrying a signature, MAC'd or bare. */
export const frameSignedTarget = () => frameTarget('frame-signed', (_, f) => f.signature !== null);

// ─── UTRNs ──────────────────────────────────────────────────────────────────

const UTRN_KEYS = {
  sharedSecret: new Rng(0x75747200).bytes(32),
  supplier: 0x90b3d51f30010000n,
  device: 0x00db123456789001n,
  counter: 0x1_0000_0000n * 77n,
};
const UTRN_DICTIONARY = [' ', '-', '  ', '0', '9', '\t', '\n', 'a', '٣', '０', '1'.repeat(20), '99999', '-'.repeat(40)];

function mutateDigits(rng: RngType, code: string): string {
  if (rng.chance(0.3)) return mutateText(rng, code, UTRN_DICTIONARY);
  const d = code.split('');
  const rounds = 1 + rng.below(3);
  for (let r = 0; r < rounds; r++) {
    const at = rng.below(d.length);
    switch (rng.below(5)) {
      case 0:
        d[at] = String(rng.below(10));
        break;
      case 1:
        if (at + 1 < d.length) [d[at], d[at + 1]] = [d[at + 1] as string, d[at] as string];
        break;
      case 2:
        d.splice(at, 1);
        break;
      case 3:
        d.splice(at, 0, String(rng.below(10)));
        break;
      default:
        d.splice(at, 0, rng.pick([' ', '-']));
    }
  }
  return d.join('');
}

function utrnTarget(
  name: string,
  corpus: string[],
  check: (code: string) => { parsed: boolean; verified: boolean; code: string },
): FuzzTarget {
  const originals = new Set(corpus);
  return {
    name,
    input(rng) {
      const roll = rng.below(100);
      if (roll < 5) return latin1(Array.from({ length: rng.below(80) }, () => String(rng.below(10))).join(''));
      if (roll < 8) return rng.bytes(rng.below(80));
      const code = rng.pick(corpus);
      if (roll < 12) return latin1(code);
      return new Uint8Array(Buffer.from(mutateDigits(rng, code), 'utf8'));
    },
    run(input) {
      const s = Buffer.from(input).toString('utf8');
      const r = check(s);
      const normal = s.replace(/[\s-]/g, '');
      if (originals.has(normal)) {
        if (!r.verified) throw new InvariantBreak(`a generated code, spaced, no longer parses and verifies: ${r.code}`);
      } else if (r.verified) {
        throw new InvariantBreak('a mutated code verifies with the MAC keys');
      }
      return r.code;
    },
  };
}

export function utrn20Target(): FuzzTarget {
  const rng = new Rng(20);
  const corpus = Array.from({ length: 200 }, () => {
    const fields = {
      ...UTRN_KEYS,
      value: rng.below(8192),
      valueClass: rng.chance(0.5) ? ('pounds' as const) : ('pennies' as const),
    };
    const { utrn } = generateUtrn(fields);
    const p = parseUtrn(utrn);
    if (!p.ok || p.value !== fields.value || p.valueClass !== fields.valueClass) {
      throw new Error(`generate → parse does not round-trip for ${utrn}`);
    }
    return utrn;
  });
  return utrnTarget('utrn-20', corpus, (s) => {
    const p = parseUtrn(s);
    return p.ok
      ? { parsed: true, verified: verifyUtrnMac(p, UTRN_KEYS), code: 'ok' }
      : { ...p, parsed: false, verified: false };
  });
}

function extendedTarget(digits: 40 | 60): FuzzTarget {
  const rng = new Rng(digits);
  const defs = EXTENDED_UTRN_COMMANDS.filter((d) => d.digits === digits);
  const corpus: string[] = [];
  for (let attempt = 0; corpus.length < 200 && attempt < 5000; attempt++) {
    const def = rng.pick(defs);
    const params: Record<string, number> = {};
    for (const p of def.params) params[p.name] = p.min + rng.below(Math.min(p.max - p.min + 1, 0xffff_ffff));
    let utrn: string;
    try {
      utrn = generateExtendedUtrn({ ...UTRN_KEYS, command: def.name, params }).utrn;
    } catch {
      continue; // a cross-parameter check refused this draw
    }
    const p = parseExtendedUtrn(utrn);
    if (!p.ok || p.command.name !== def.name || JSON.stringify(p.params) !== JSON.stringify(params)) {
      throw new Error(`generate → parse does not round-trip for ${def.name} ${utrn}`);
    }
    corpus.push(utrn);
  }
  if (corpus.length === 0) throw new Error(`no ${digits}-digit UTRN could be generated`);
  return utrnTarget(`utrn-${digits}`, corpus, (s) => {
    const p = parseExtendedUtrn(s);
    return p.ok
      ? { parsed: true, verified: verifyExtendedUtrnMac(p, UTRN_KEYS), code: 'ok' }
      : { ...p, parsed: false, verified: false };
  });
}
export const utrn40Target = () => extendedTarget(40);
export const utrn60Target = () => extendedTarget(60);

// ─── Keystore PEM and DER ───────────────────────────────────────────────────

interface KeyFile {
  name: string;
  text: string;
  label: string;
  der: Uint8Array;
  lengthAt: number[];
}

/** Offsets of every DER length in a TLV tree (the byte after each tag). */
function derLengths(der: Uint8Array, from = 0, to = der.length, out: number[] = []): number[] {
  let p = from;
  while (p + 1 < to && out.length < 200) {
    const tag = der[p] as number;
    const lenAt = p + 1;
    const first = der[lenAt] as number;
    let len = first;
    let body = lenAt + 1;
    if (first & 0x80) {
      const n = first & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (der[body + i] as number);
      body += n;
    }
    if (body + len > to) break;
    out.push(lenAt);
    if (tag & 0x20) derLengths(der, body, body + len, out);
    p = body + len;
  }
  return out;
}

function keyFiles(): KeyFile[] {
  return readdirSync(KEYSTORE_DIR)
    .sort()
    .map((name) => {
      const t = readFileSync(join(KEYSTORE_DIR, name), 'utf8');
      const label = /-----BEGIN ([A-Z ]+)-----/.exec(t)?.[1] ?? 'CERTIFICATE';
      const der = new Uint8Array(Buffer.from(t.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64'));
      return { name, text: t, label, der, lengthAt: derLengths(der) };
    });
}

const PEM_DICTIONARY = [
  '-----',
  '\n',
  '=',
  '==',
  'A',
  '/',
  '+',
  '-----BEGIN CERTIFICATE-----\n',
  '-----END PRIVATE KEY-----',
];

function keystoreTarget(name: string, mutate: (rng: RngType, f: KeyFile) => string): FuzzTarget {
  const files = keyFiles();
  return {
    name,
    input(rng) {
      const f = rng.pick(files);
      const name = rng.chance(0.1) ? f.name.replace(/\.(pem|key)$/, (m) => (m === '.pem' ? '.key' : '.pem')) : f.name;
      return latin1(`${name}\n${mutate(rng, f)}`);
    },
    run(input) {
      const s = text(input);
      const nl = s.indexOf('\n');
      const store = Keystore.fromFiles([{ name: s.slice(0, nl), text: s.slice(nl + 1) }]);
      store.entries();
      return 'ok';
    },
  };
}

export const keystorePemTarget = () =>
  keystoreTarget('keystore-pem', (rng, f) => (rng.chance(0.05) ? f.text : mutateText(rng, f.text, PEM_DICTIONARY)));

export const keystoreDerTarget = () =>
  keystoreTarget('keystore-der', (rng, f) => {
    const der = rng.chance(0.05) ? f.der : mutateBytes(rng, f.der, f.lengthAt);
    const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
    return `-----BEGIN ${f.label}-----\n${b64}\n-----END ${f.label}-----\n`;
  });

// ─── Scenario YAML and segment manifests (read from a file) ─────────────────

const SCENARIOS_DIR = fileURLToPath(new URL('../../../../scenarios/', import.meta.url));
const YAML_DICTIONARY = [
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!js/function ',
  '!custom ',
  '? ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '\t',
  ': ',
  '- ',
  '\n  ',
  '1e999',
  '-.inf',
  '.nan',
  '0x7fffffffffffffff',
  '99999999999999999999',
  '-1',
  '~',
  'null',
  '__proto__: {}\n',
  'constructor: 1\n',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  'sweep:\n  fleet.meters: [1, 2, 3]\n',
  '\u0000',
  '\uFEFF',
  '#',
];

/** A billion-laughs document: each level an alias list of the one before. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

function fileTarget(
  name: string,
  file: string,
  make: (rng: RngType) => string,
  read: (path: string) => unknown,
): FuzzTarget {
  const dir = mkdtempSync(join(tmpdir(), `gbfleet-fuzz-${name}-`));
  const path = join(dir, file);
  return {
    name,
    input: (rng) => latin1(make(rng)),
    async run(input) {
      writeFileSync(path, input);
      await read(path);
      return 'ok';
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function scenarioYamlTarget(): FuzzTarget {
  // As `gbfleet run` reads a file: the plug-ins' sections and event types are known.
  const options = { pluginEventTypes: pluginEventTypes(), pluginSections: pluginSections() };
  const corpus = readdirSync(SCENARIOS_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => Buffer.from(readFileSync(join(SCENARIOS_DIR, n), 'utf8'), 'utf8').toString('latin1'));
  return fileTarget(
    'scenario-yaml',
    'scenario.yaml',
    (rng) => {
      const roll = rng.below(100);
      if (roll < 2) return aliasBomb(2 + rng.below(8));
      if (roll < 3) {
        // Deep flow nesting: the parser recurses per level.
        const depth = 1 + rng.below(rng.chance(0.5) ? 200 : 200_000);
        const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{a: ', '}'];
        return `name: x\nfleet: ${open.repeat(depth)}1${close.repeat(rng.chance(0.5) ? depth : 0)}\n`;
      }
      if (roll < 5) return text(rng.bytes(rng.below(300)));
      const base = rng.pick(corpus);
      if (roll < 7) return base;
      return mutateText(rng, base, YAML_DICTIONARY);
    },
    (path) => loadScenarioVariants(path, options),
  );
}

const MANIFEST: Record<string, unknown> = {
  format: 'gbfleet-segment/1',
  runId: 'run-1',
  scenarioName: 'default',
  scenarioHash: 'a'.repeat(64),
  specHash: 'b'.repeat(64),
  seed: '42',
  codeVersion: '0.1.0',
  segment: 0,
  segments: 2,
  status: 'completed',
  error: null,
  steps: 96,
  stepsRun: 96,
  fleetMeters: 1000,
  firstMeter: 0,
  meters: 500,
  workers: 2,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  rows: { parties: 5, meters: 500, alerts: 3, commands: 40, supply_events: 2, utrn: 1 },
  chargeInputs: { stepsRun: 96, suppliers: [{ party: 1, failedAtStep: null, registeredMeters: 500 }] },
  figures: { commands: 40, peakQueue: 3 },
  peakFigures: ['peakQueue'],
  spec: { name: 'default', fleet: { meters: 1000 } },
};

const HOSTILE_VALUES: unknown[] = [
  null,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53,
  1.5,
  '',
  'x'.repeat(10_000),
  [],
  {},
  true,
  [null],
  [{}],
  { party: '1' },
  { stepsRun: 1, suppliers: [null] },
  { stepsRun: 1, suppliers: {} },
];

function jsonPaths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      jsonPaths(v, [...prefix, k], out);
    }
  }
  return out;
}
const MANIFEST_PATHS = jsonPaths(MANIFEST);
const MANIFEST_TEXT = JSON.stringify(MANIFEST, null, 2);

function mutateManifest(rng: RngType): string {
  const roll = rng.below(100);
  if (roll < 3) return MANIFEST_TEXT;
  if (roll < 6) return text(rng.bytes(rng.below(200)));
  if (roll < 9) return `${'['.repeat(1 + rng.below(200_000))}`;
  if (roll < 30)
    return mutateText(rng, MANIFEST_TEXT, ['"', ',', '{', '}', '[', ']', 'null', '1e999', '-0', '"__proto__":{},']);
  const m = structuredClone(MANIFEST);
  const rounds = 1 + rng.below(3);
  for (let r = 0; r < rounds; r++) {
    const path = rng.pick(MANIFEST_PATHS);
    let parent = m as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      const next = parent[k];
      if (next === null || typeof next !== 'object') break;
      parent = next as Record<string, unknown>;
    }
    const key = path[path.length - 1] as string;
    if (rng.chance(0.2)) delete parent[key];
    else parent[key] = structuredClone(rng.pick(HOSTILE_VALUES));
  }
  return JSON.stringify(m);
}

export const segmentManifestTarget = () =>
  fileTarget('segment-manifest', 'segment-0.json', mutateManifest, (path) => readSegmentManifest(path));

// ─── Checkpoint files ───────────────────────────────────────────────────────

/** A valid checkpoint of a 40-meter run: its bytes, and where its two u64 lengths are. */
function checkpointSeed(): { bytes: Uint8Array; lengthAt: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-fuzz-checkpoint-seed-'));
  try {
    const path = join(dir, 'seed.checkpoint');
    const fleet = allocateFleet(40);
    fleet.columns.creditCp.fill(12_345);
    writeCheckpointFile(
      path,
      {
        runId: 'r-1',
        scenarioHash: 'a'.repeat(64),
        codeVersion: '0.1.0',
        spec: { name: 'x', stepMinutes: 60 } as never,
        segment: null,
        step: 3,
        steps: 24,
        takenAt: '2026-01-01T00:00:00.000Z',
      },
      {
        format: CHECKPOINT_FORMAT,
        step: 3,
        steps: 24,
        owned: { lo: 0, hi: 40 },
        fleet: fleetBytesOf(fleet, { lo: 0, hi: 40 }),
        parties: [{ failedAtStep: null, revokedAtStep: 5, vending: true }],
        engine: {
          dcc: { held: new Map([[4, [{ meter: 1, counter: 7n }]]]) },
          timeline: {},
          tally: { commands: 2 },
          figures: { a: 1 },
          peakFigures: [],
          topUpRequests: [{ length: 1, meter: new Uint32Array([3]), pounds: new Uint16Array([10]) }],
          outbox: [],
        },
        plugins: [{ name: 'p', state: { queue: [1, 2, 3], due: new Map([[7, [1]]]) } }],
      },
    );
    const bytes = new Uint8Array(readFileSync(path));
    const idLength = Number(Buffer.from(bytes).readBigUInt64BE(8));
    return { bytes, lengthAt: [8, 16 + idLength] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Most mutations are sealed with a fresh digest, so they reach the parser behind it. */
function mutateCheckpoint(rng: RngType, seed: { bytes: Uint8Array; lengthAt: number[] }): Uint8Array {
  const roll = rng.below(100);
  if (roll < 3) return seed.bytes;
  if (roll < 6) return rng.bytes(rng.below(300));
  const body = seed.bytes.subarray(0, seed.bytes.length - 32);
  let mutated: Uint8Array;
  if (roll < 25) {
    // A length field made zero, huge or off by a little.
    mutated = body.slice();
    const at = rng.pick(seed.lengthAt);
    const view = Buffer.from(mutated.buffer, mutated.byteOffset, mutated.byteLength);
    const old = view.readBigUInt64BE(at);
    const hostile = [0n, 1n, old - 1n, old + 1n, old * 2n, 2n ** 32n, 2n ** 53n, 2n ** 64n - 1n];
    view.writeBigUInt64BE(BigInt.asUintN(64, rng.pick(hostile)), at);
  } else mutated = mutateBytes(rng, body);
  if (rng.chance(0.15)) return Buffer.concat([mutated, rng.bytes(32)]);
  return Buffer.concat([mutated, createHash('sha256').update(mutated).digest()]);
}

export function checkpointFileTarget(): FuzzTarget {
  const seed = checkpointSeed();
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-fuzz-checkpoint-'));
  const path = join(dir, 'run.duckdb.partial.checkpoint');
  return {
    name: 'checkpoint-file',
    input: (rng) => mutateCheckpoint(rng, seed),
    run(input) {
      writeFileSync(path, input);
      const { identity, checkpoint } = readCheckpointFile(path);
      // What is accepted is whole: every column is the meter range's size.
      const meters = checkpoint.owned.hi - checkpoint.owned.lo;
      if (checkpoint.fleet.creditCp.byteLength !== meters * 4 || identity.step !== checkpoint.step) {
        throw new InvariantBreak('an accepted checkpoint has a column of the wrong size or a step that disagrees');
      }
      return 'ok';
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every target, in report order. */
export const ALL_TARGETS: ReadonlyArray<() => FuzzTarget> = [
  frameGeneralTarget,
  frameSignedTarget,
  utrn20Target,
  utrn40Target,
  utrn60Target,
  keystorePemTarget,
  keystoreDerTarget,
  scenarioYamlTarget,
  segmentManifestTarget,
  checkpointFileTarget,
];
