import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assertPackedBytes,
  PackedBytesBuilder,
  packBytes,
  packedCount,
  packedItem,
} from '../src/bytes/packed-bytes.ts';

test('packBytes keeps every item and its order', () => {
  const items = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(9)];
  const packed = packBytes(items);
  assert.is(packedCount(packed), 3);
  items.forEach((item, i) => {
    assert.equal([...packedItem(packed, i)], [...item]);
  });
});

test('builder grows past its initial capacity and finishes exact-size', () => {
  const builder = new PackedBytesBuilder(4);
  for (let i = 0; i < 100; i++) builder.push(Uint8Array.of(i, i, i));
  const packed = builder.finish();
  assert.is(builder.count, 100);
  assert.is(packed.bytes.length, 300);
  assert.equal([...packedItem(packed, 42)], [42, 42, 42]);
});

test('claim appends items written in place, growing from any capacity (zero included)', () => {
  const builder = new PackedBytesBuilder(0);
  for (let i = 0; i < 50; i++) {
    const at = builder.claim(i % 4);
    builder.bytes.fill(i, at, at + (i % 4));
  }
  const packed = builder.finish();
  assert.is(builder.count, 50);
  assert.equal([...packedItem(packed, 7)], [7, 7, 7]);
  assert.equal([...packedItem(packed, 8)], []);
});

test('assertPackedBytes rejects offsets out of order or past the end', () => {
  const bytes = new Uint8Array(4);
  assert.throws(() => assertPackedBytes({ bytes, offsets: Uint32Array.of(0, 3, 2) }, 'batch'), /out of order/);
  assert.throws(() => assertPackedBytes({ bytes, offsets: Uint32Array.of(0, 5) }, 'batch'), /beyond/);
  assert.throws(() => assertPackedBytes({ bytes, offsets: Uint32Array.of(1, 2) }, 'batch'), /start at 0/);
  assertPackedBytes({ bytes, offsets: Uint32Array.of(0, 2, 4) }, 'batch');
});

test.run();
