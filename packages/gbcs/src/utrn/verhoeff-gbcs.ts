/**
 * GBCS's variant of the Verhoeff check digit (GBCS section 14.8): the dihedral-group
 * multiplication table (14.8b) and permutation table (14.8a) of the standard scheme, but digits
 * are taken most-significant first starting at permutation row 4, and the final digit comes from
 * GBCS's own table 14.8c rather than the group inverse. Detects every single-digit error and
 * every adjacent transposition.
 */

/** GBCS table 14.8a: permutations applied to a digit by position. */
const PERMUTATION: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** GBCS table 14.8b: multiplication in the dihedral group D5. */
const MULTIPLICATION: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/** GBCS table 14.8c: the check digit for each final product (not the D5 inverse). */
const CHECK_DIGIT = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4] as const;

/** The check digit for a non-empty string of decimal digits, or null for anything else. */
export function gbcsCheckDigit(digits: string): number | null {
  if (!/^\d+$/.test(digits)) return null;
  let product = 0;
  let row = 4;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    product = (MULTIPLICATION[product] as readonly number[])[
      (PERMUTATION[row] as readonly number[])[digit] as number
    ] as number;
    row = (row + 1) % 8;
  }
  return CHECK_DIGIT[product] as number;
}

/** True when the last digit is the GBCS check digit of the ones before it. */
export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gbcsCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}
