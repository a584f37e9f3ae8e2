/** What a fault case is judged on; each count must be 0 (or what the case expects). */
export interface FaultCounts {
  crashes: number;
  lost: number;
  duplicates: number;
  false: number;
}

/** Prints one summary line per fault case (CI logs show them) and returns the counts to assert. */
export function reportFault(name: string, counts: FaultCounts): FaultCounts {
  process.stdout.write(
    `FAULT ${name}: crashes=${counts.crashes} lost=${counts.lost} duplicates=${counts.duplicates} false=${counts.false}\n`,
  );
  return counts;
}

export const NONE: FaultCounts = { crashes: 0, lost: 0, duplicates: 0, false: 0 };
