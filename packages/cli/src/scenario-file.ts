/**
 * Reading a scenario file: bytes → UTF-8 text → one YAML document → plain value → ScenarioSpec.
 * Every failure is an InputError (exit 2) whose message starts with the file path and lists
 * every problem, each at `file:line:col` where the YAML has a place for it. The YAML parser is
 * held to JSON-like data: unique string keys, no unknown tags, a bounded number of aliases.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import {
  formatScenarioIssue,
  type ParseScenarioOptions,
  parseScenario,
  type ScenarioError,
  type ScenarioIssue,
  type ScenarioSpec,
} from '@gbfleet/core';
import { gbfleetCodeOf } from '@gbfleet/gbcs';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { InputError } from './errors.js';
import { expandSweep } from './scenario-sweep.js';
import { flowNestingTooDeep } from './yaml-nesting.js';

/** A scenario is a page of settings; anything near this size is a mistake (or an attack). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
/** Aliases let a file reuse a block; more uses than this looks like an alias bomb. */
const MAX_ALIAS_COUNT = 100;
/** Flow collections nest a few levels in a scenario; far deeper is an attack on the parser's stack. */
export const MAX_FLOW_DEPTH = 64;
/** Problems listed in one message; the rest are counted. */
const MAX_LISTED = 50;

export type LoadScenarioOptions = ParseScenarioOptions;

export interface LoadedScenario {
  spec: ScenarioSpec;
  /** The file's text as read (a UTF-8 byte-order mark is dropped). */
  text: string;
  /** SHA-256 of `text` (UTF-8), hex: the scenario hash a run records. */
  hash: string;
}

export interface ScenarioVariant {
  label: string;
  assignments: Array<{ path: string; value: unknown }>;
  spec: ScenarioSpec;
}

export interface LoadedScenarioVariants {
  /** One variant, or one per combination of a `sweep:` block. */
  variants: ScenarioVariant[];
  /** Run-summary paths a sweep compares. */
  compare: string[];
  text: string;
  hash: string;
}

/**
 * Reads, parses and validates a scenario file, expanding a `sweep:` block into its variants
 * (every variant validated before any runs). Throws InputError (exit 2) on any problem.
 */
export async function loadScenarioVariants(
  path: string,
  options: LoadScenarioOptions = {},
): Promise<LoadedScenarioVariants> {
  const text = decode(path, await readLimited(path));
  if (text.trim() === '') {
    throw new InputError(`${path}: the file is empty; a scenario needs at least name: and fleet: { meters: N }`);
  }
  const lines = new LineCounter();
  const deep = flowNestingTooDeep(text, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    const at = lineColOf(text, deep);
    throw new InputError(
      `${path}:${at.line}:${at.col}: brackets nest more than ${MAX_FLOW_DEPTH} levels deep; a scenario needs a few`,
    );
  }
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    stringKeys: true,
    logLevel: 'error',
  });
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    const listed = syntax.slice(0, MAX_LISTED).map((e) => {
      const at = lines.linePos(e.pos[0]);
      const detail =
        e.code === 'DUPLICATE_KEY'
          ? `duplicate key ${JSON.stringify(keyAt(text, e.pos[0]))} (keys in a mapping must be unique)`
          : e.message;
      return `  ${path}:${at.line}:${at.col}: ${detail}`;
    });
    throw new InputError(`${path}: not valid YAML${shownOf(syntax.length)}:\n${listed.join('\n')}`);
  }
  if (doc.contents === null) {
    throw new InputError(`${path}: the file holds no YAML value (only comments?); a scenario needs name: and fleet:`);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError for alias counts past the limit: an alias bomb or a mistake.
    throw new InputError(
      `${path}: YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses); write the values out instead`,
      { cause: error },
    );
  }
  const cycle = findCycle(value);
  if (cycle !== undefined) {
    throw new InputError(`${path}: a YAML alias at ${cycle || 'the top level'} refers to a block that contains it`);
  }

  const sweepIssues: ScenarioIssue[] = [];
  const sweep = expandSweep(value, sweepIssues);
  if (sweepIssues.length > 0) throw invalid(path, doc, lines, sweepIssues, undefined);
  const hash = createHash('sha256').update(text, 'utf8').digest('hex');
  const variants = sweep.variants.map((variant) => ({
    label: variant.label,
    assignments: variant.assignments,
    spec: validate(variant.value, path, doc, lines, options, sweep.variants.length > 1 ? variant.label : undefined),
  }));
  return { variants, compare: sweep.compare, text, hash };
}

/** Reads, parses and validates a scenario file. Throws InputError (exit 2) on any problem. */
export async function loadScenarioFile(path: string, options: LoadScenarioOptions = {}): Promise<LoadedScenario> {
  const loaded = await loadScenarioVariants(path, options);
  if (loaded.variants.length !== 1) {
    throw new InputError(
      `${path}: holds a sweep of ${loaded.variants.length} variants, where one scenario is expected`,
    );
  }
  return { spec: (loaded.variants[0] as ScenarioVariant).spec, text: loaded.text, hash: loaded.hash };
}

function validate(
  value: unknown,
  path: string,
  doc: Document.Parsed,
  lines: LineCounter,
  options: LoadScenarioOptions,
  variant: string | undefined,
): ScenarioSpec {
  try {
    return parseScenario(value, options);
  } catch (error) {
    // Match on the stable code, not instanceof (STYLE #10): a second copy of core must not matter.
    if (codeOf(error) !== 'GBF_SCENARIO') throw error;
    throw invalid(path, doc, lines, (error as ScenarioError).issues, variant, error);
  }
}

function invalid(
  path: string,
  doc: Document.Parsed,
  lines: LineCounter,
  issues: readonly ScenarioIssue[],
  variant: string | undefined,
  cause?: unknown,
): InputError {
  const located = issues
    .map((issue, order) => ({ issue, order, at: locate(doc, lines, issue.path) }))
    // File order reads best; issues with no place (the file as a whole) come first.
    .sort((a, b) => (a.at?.offset ?? -1) - (b.at?.offset ?? -1) || a.order - b.order);
  const listed = located.slice(0, MAX_LISTED).map(({ issue, at }) => {
    const where = at ? `${path}:${at.line}:${at.col}` : path;
    return `  ${where}: ${formatScenarioIssue(issue)}`;
  });
  if (located.length > MAX_LISTED) listed.push(`  … and ${located.length - MAX_LISTED} more`);
  const count = located.length === 1 ? '1 problem' : `${located.length} problems`;
  const which = variant ? ` (sweep variant ${variant})` : '';
  return new InputError(`${path}: invalid scenario${which}, ${count}:\n${listed.join('\n')}`, { cause });
}

/** The mapping key that starts at `offset` (the parser reports only where a duplicate starts). */
function lineColOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function keyAt(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  const line = end === -1 ? text.slice(offset) : text.slice(offset, end);
  return (line.split(/:(?:\s|$)/)[0] ?? line).trim();
}

function shownOf(n: number): string {
  return n > MAX_LISTED ? ` (${n} errors, the first ${MAX_LISTED} shown)` : '';
}

/** Reads at most MAX_SCENARIO_BYTES + 1 bytes, so a huge or endless file is refused cheaply. */
async function readLimited(path: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputError(`${path}: ${openProblem(error)}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, expected a scenario file (.yaml)`);
    if (!info.isFile()) throw new InputError(`${path}: is not a regular file, expected a scenario file (.yaml)`);
    if (info.size > MAX_SCENARIO_BYTES) throw tooBig(path, info.size);
    const buffer = Buffer.alloc(MAX_SCENARIO_BYTES + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > MAX_SCENARIO_BYTES) throw tooBig(path, filled);
    return buffer.subarray(0, filled);
  } catch (error) {
    if (gbfleetCodeOf(error) === 'GBF_INPUT') throw error;
    throw new InputError(`${path}: cannot be read (${codeOf(error) ?? String(error)})`, { cause: error });
  } finally {
    await handle.close();
  }
}

function tooBig(path: string, bytes: number): InputError {
  const shown = bytes > MAX_SCENARIO_BYTES + 1 ? `is ${(bytes / (1024 * 1024)).toFixed(1)} MB` : 'is larger than 1 MB';
  return new InputError(`${path}: ${shown}, over the 1 MB limit for scenario files`);
}

function openProblem(error: unknown): string {
  switch (codeOf(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, expected a scenario file (.yaml)';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return `cannot be opened (${codeOf(error) ?? String(error)})`;
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function decode(path: string, bytes: Buffer): string {
  const bom = bytes.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff') {
    throw new InputError(`${path}: is UTF-16 text; save the scenario as UTF-8`);
  }
  // A NUL byte never belongs in YAML text: say "binary" rather than a puzzling parse error.
  if (bytes.includes(0))
    throw new InputError(`${path}: looks like a binary file (it contains NUL bytes), expected UTF-8 YAML`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputError(`${path}: is not valid UTF-8 text; save the scenario as UTF-8`, { cause: error });
  }
}

/** The path (as ScenarioIssue.path prints it) of an alias that contains itself, if any. */
function findCycle(root: unknown): string | undefined {
  const onPath = new Set<object>();
  const visit = (node: unknown, where: string): string | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (onPath.has(node)) return where;
    onPath.add(node);
    const entries: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((v, i) => [`${where}[${i}]`, v])
      : Object.entries(node).map(([k, v]) => [where ? `${where}.${k}` : k, v]);
    for (const [at, child] of entries) {
      const found = visit(child, at);
      if (found !== undefined) return found;
    }
    onPath.delete(node);
    return undefined;
  };
  return visit(root, '');
}

/** `fleet.suppliers[1]["odd key"]` → ['fleet', 'suppliers', 1, 'odd key'] (the inverse of core's formatPath). */
function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const token = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null = token.exec(path);
  while (m !== null) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]!) as string);
    if (token.lastIndex === path.length) break;
    m = token.exec(path);
  }
  return segments;
}

/**
 * Where an issue points in the YAML: the key of the deepest mapping entry (or list item) that
 * exists along its path. A missing field points at its parent's key, which is where to add it.
 */
function locate(
  doc: Document.Parsed,
  lines: LineCounter,
  path: string,
): { offset: number; line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as Node | null)?.range?.[0];
  for (const segment of pathSegments(path)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (typeof segment === 'string' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (typeof segment === 'number' && isSeq(node) && segment < node.items.length) {
      node = node.items[segment];
      offset = (node as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { offset, line, col };
}
