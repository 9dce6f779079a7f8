/**
 * What is wrong with a scenario. One ScenarioError carries every problem at once, so a planner
 * fixes a file in one pass rather than one run per mistake. Each issue names the field (a dotted
 * path, `[i]` for list items), the value found there and what is allowed.
 */
import { GbfleetError } from '@gbfleet/gbcs';

export interface ScenarioIssue {
  /** Where: `fleet.suppliers[1].share`; '' for the scenario as a whole. */
  path: string;
  /** The value found at `path` in the input (undefined when the field is missing). */
  value: unknown;
  /** What is wrong and what is allowed: `got -5, expected an integer from 1 to 50000000`. */
  message: string;
}

/** Paragraphs beyond this are summarised in the message; `issues` always holds all of them. */
const MESSAGE_ISSUE_LIMIT = 100;

/** A scenario value failed validation; `issues` lists every problem found. Code `GBF_SCENARIO`. */
export class ScenarioError extends GbfleetError {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super('GBF_SCENARIO', formatScenarioIssues(issues));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

/** One paragraph: `fleet.meters: got -5, expected an integer from 1 to 50000000`. */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  return `${issue.path === '' ? '(top level)' : issue.path}: ${issue.message}`;
}

/** One paragraph per issue; a hostile input with thousands of problems is cut after 100. */
export function formatScenarioIssues(issues: readonly ScenarioIssue[], limit = MESSAGE_ISSUE_LIMIT): string {
  const lines = issues.slice(0, limit).map(formatScenarioIssue);
  if (issues.length > limit) lines.push(`… and ${issues.length - limit} more problems`);
  return lines.join('\n');
}

/** `['fleet', 'suppliers', 1, 'share']` → `fleet.suppliers[1].share`; odd keys are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** A value as a message shows it: strings quoted (and cut), collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value instanceof Date) return 'a date object';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/**
 * The candidate closest to `word` (case-insensitive, transpositions count 1), if within 2 edits;
 * else one that `word` (of 4 letters or more) begins or is begun by: `counterLead` →
 * `counterLeadHours`, a name cut short too far for an edit distance.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const w = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(w, candidate.toLowerCase());
    // Short words are within 2 edits of anything short: only suggest on a real resemblance.
    if (d < bestDistance && d < w.length && d < candidate.length) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined || w.length < 4) return best;
  return candidates.find((c) => c.toLowerCase().startsWith(w) || w.startsWith(c.toLowerCase()));
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 && Math.min(a.length, b.length) > 0) {
    // Cheap exit for the only question asked of it (≤ 2?); still a true lower bound.
    return Math.abs(a.length - b.length);
  }
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
