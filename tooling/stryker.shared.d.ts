import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

/** The StrykerJS settings every mutation-tested package shares, merged with the package's own options. */
export declare function strykerConfig(
  options: { mutate: string[]; thresholds: { break: number; high?: number; low?: number } } & PartialStrykerOptions,
): PartialStrykerOptions;
