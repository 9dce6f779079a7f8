import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCount } from '../src/parse-number.ts';

test('parses integers with separators and applies the default', () => {
  assert.is(parseCount('--meters', '5_000_000', 1, 1, 10_000_000), 5_000_000);
  assert.is(parseCount('--meters', '1,000', 1, 1, 10_000), 1000);
  assert.is(parseCount('--meters', undefined, 7, 1, 10), 7);
});

test('names the flag, the value and the range on bad input', () => {
  for (const bad of ['-1', '1.5', 'abc', '', '1e6', ' 3']) {
    assert.throws(
      () => parseCount('--meters', bad, 1, 1, 10),
      (e: Error & { code?: string }) => {
        return e.code === 'GBF_USAGE' && e.message.includes('--meters') && /integer from 1 to 10/.test(e.message);
      },
    );
  }
  assert.throws(() => parseCount('--workers', '65', 1, 1, 64), /out of range: use an integer from 1 to 64/);
});

test.run();
