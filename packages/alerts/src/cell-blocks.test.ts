import { describe, expect, it } from 'vitest';
import { CellBlockPool, cellBlockPool } from './cell-blocks.js';

const MiB = 1024 * 1024;

describe('CellBlockPool', () => {
  it('carves blocks out of slabs larger than 32 MiB (so glibc maps them, outside its arena)', () => {
    const pool = new CellBlockPool(337 * 64);
    expect(pool.blocksPerSlab * pool.blockBytes).toBeGreaterThan(32 * MiB);
    expect((pool.blocksPerSlab - 1) * pool.blockBytes).toBeLessThanOrEqual(32 * MiB);
    expect(pool.slabCount).toBe(0); // nothing until the first block is taken
    const first = pool.take();
    expect(first.buffer.byteLength).toBe(pool.blocksPerSlab * pool.blockBytes);
    expect(pool.slabCount).toBe(1);
  });

  it('hands out distinct, adjacent blocks and opens a new slab when one is used up', () => {
    const pool = new CellBlockPool(1024 * 1024); // 33 blocks per slab
    const blocks = Array.from({ length: pool.blocksPerSlab + 1 }, () => pool.take());
    const ids = blocks.map((block) => block.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(blocks.slice(0, pool.blocksPerSlab).map((block) => block.byteOffset)).toEqual(
      Array.from({ length: pool.blocksPerSlab }, (_, i) => i * pool.blockBytes),
    );
    const last = blocks.at(-1);
    expect(last?.buffer).not.toBe(blocks[0]?.buffer);
    expect(last?.byteOffset).toBe(0);
    expect(pool.slabCount).toBe(2);
    expect(pool.inUse).toBe(pool.blocksPerSlab + 1);
  });

  it('reuses a block given back, zeroed, before touching a new one', () => {
    const pool = new CellBlockPool(4096);
    const a = pool.take();
    const b = pool.take();
    new Uint8Array(a.buffer, a.byteOffset, 4096).fill(7);
    new Uint8Array(b.buffer, b.byteOffset, 4096).fill(9);
    pool.give(a.id);
    expect(pool.inUse).toBe(1);
    const again = pool.take();
    expect(again.id).toBe(a.id);
    expect(again.byteOffset).toBe(a.byteOffset);
    expect(new Uint8Array(again.buffer, again.byteOffset, 4096).every((byte) => byte === 0)).toBe(true);
    // The neighbour was not touched by the zeroing.
    expect(new Uint8Array(b.buffer, b.byteOffset, 4096).every((byte) => byte === 9)).toBe(true);
    expect(pool.take().id).toBe(2); // then the next untouched block
    expect(pool.inUse).toBe(3);
  });

  it('rejects a block size that cannot hold 64-bit fields', () => {
    expect(() => new CellBlockPool(0)).toThrow(/positive multiple of 8 bytes, got 0/);
    expect(() => new CellBlockPool(12)).toThrow(/got 12/);
    expect(() => new CellBlockPool(8.5)).toThrow(RangeError);
    expect(() => new CellBlockPool(2 ** 53 + 8)).toThrow(RangeError);
  });

  it('keeps one pool per block size for the process', () => {
    expect(cellBlockPool(8 * 1000)).toBe(cellBlockPool(8 * 1000));
    expect(cellBlockPool(8 * 1001)).not.toBe(cellBlockPool(8 * 1000));
  });
});
