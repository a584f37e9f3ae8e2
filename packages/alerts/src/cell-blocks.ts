// Where the consumption trackers keep their full-window rings. One ArrayBuffer per ring and per
// growth left the memory of each outgrown ring behind in malloc's arena, in holes too small for the
// next ring: ~10 MiB of holes for 1,000 pools once their windows filled (bot README, "Cost against
// catalogue size and over many polls"). Full-window rings are instead carved, all the same size, out
// of slabs of more than 32 MiB: that is above glibc's mmap threshold however far it has adapted (it
// stops at 32 MiB on 64-bit), so glibc maps the slab outside its arena unless the arena has that much
// free at hand already, and the kernel hands the pages out zeroed and only when first written (4 KiB
// pages: with transparent huge pages set to `always`, 2 MiB at a time). A ring that fills slot by slot
// costs the pages its cells reach.

/** glibc's largest adaptive mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX): a slab is larger. */
const SLAB_MIN_BYTES = 32 * 1024 * 1024;

/** One block: `bytes` bytes of `buffer` from `byteOffset`, zeroed when handed out. */
export interface CellBlock {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  /** Identifies the block to {@link CellBlockPool.give}. */
  readonly id: number;
}

/**
 * Fixed-size blocks carved out of large slabs, handed out zeroed and taken back for reuse. Blocks
 * never handed out are still the kernel's zero pages; a block given back is zeroed again when it is
 * handed out next (those pages were written anyway).
 *
 * @example
 * ```ts
 * const pool = new CellBlockPool(337 * 64)
 * const block = pool.take()
 * const cells = new Float64Array(block.buffer, block.byteOffset, 337 * 8)
 * pool.give(block.id)
 * ```
 */
export class CellBlockPool {
  /** Blocks per slab: enough for a slab of more than {@link SLAB_MIN_BYTES}. */
  readonly blocksPerSlab: number;
  private readonly slabs: ArrayBuffer[] = [];
  /** Blocks given back, reused first (last in, first out). */
  private readonly returned: number[] = [];
  /** Blocks of the last slab handed out so far (its next untouched block). */
  private used = 0;

  constructor(readonly blockBytes: number) {
    if (!(Number.isSafeInteger(blockBytes) && blockBytes > 0 && blockBytes % 8 === 0))
      throw new RangeError(`a cell block must be a positive multiple of 8 bytes, got ${blockBytes}`);
    this.blocksPerSlab = Math.floor(SLAB_MIN_BYTES / blockBytes) + 1;
  }

  /** Slabs allocated so far (each `blocksPerSlab * blockBytes` bytes, resident only where written). */
  get slabCount(): number {
    return this.slabs.length;
  }

  /** Blocks handed out and not given back. */
  get inUse(): number {
    return Math.max(0, this.slabs.length - 1) * this.blocksPerSlab + this.used - this.returned.length;
  }

  /** A zeroed block: one given back if any, else the next untouched one (a new slab when all are). */
  take(): CellBlock {
    const id = this.returned.pop();
    if (id !== undefined) {
      const block = this.block(id);
      new Uint8Array(block.buffer, block.byteOffset, this.blockBytes).fill(0);
      return block;
    }
    if (this.slabs.length === 0 || this.used === this.blocksPerSlab) {
      this.slabs.push(new ArrayBuffer(this.blocksPerSlab * this.blockBytes));
      this.used = 0;
    }
    this.used += 1;
    return this.block((this.slabs.length - 1) * this.blocksPerSlab + this.used - 1);
  }

  /** Takes block `id` back for reuse. Its holder must not write to it any more. */
  give(id: number): void {
    this.returned.push(id);
  }

  private block(id: number): CellBlock {
    const slab = this.slabs[Math.floor(id / this.blocksPerSlab)] as ArrayBuffer;
    return { buffer: slab, byteOffset: (id % this.blocksPerSlab) * this.blockBytes, id };
  }
}

const pools = new Map<number, CellBlockPool>();

/** The process's pool for blocks of `blockBytes` (one per size: one per forecast window in use). */
export function cellBlockPool(blockBytes: number): CellBlockPool {
  let pool = pools.get(blockBytes);
  if (!pool) {
    pool = new CellBlockPool(blockBytes);
    pools.set(blockBytes, pool);
  }
  return pool;
}
