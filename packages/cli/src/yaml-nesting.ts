/**
 * How deep a YAML text's flow collections (`[ … ]`, `{ … }`) nest, found by one pass over the
 * characters before any parsing. The yaml parser recurses per level: 100,000 nested brackets
 * (200 kB, well under the file limit) overflow its stack and take about a second to refuse,
 * so the scenario reader refuses deep nesting first. Brackets inside quoted scalars and
 * comments do not count; a quote opens a scalar only where a scalar can start.
 */

/** The offset of the first bracket nested deeper than `limit`, or undefined. */
export function flowNestingTooDeep(text: string, limit: number): number | undefined {
  let depth = 0;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '#' && /\s/.test(previous)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
      previous = '\n';
      continue;
    }
    if ((c === '"' || c === "'") && /[\s[{,:-]/.test(previous)) {
      i = closingQuote(text, i, c);
      previous = c;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
    previous = c;
  }
  return undefined;
}

/** Offset of the quote that closes the scalar opened at `open` (or the text's end). */
function closingQuote(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
