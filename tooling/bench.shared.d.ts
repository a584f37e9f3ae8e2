/** Whether this run is the smoke run of `pnpm test` (BENCH_SMOKE=1): tiny sizes, a second or two. */
export declare const BENCH_SMOKE: boolean;
/** A benchmark's size: the environment variable `name` when set, else `smoke` in a smoke run, else `full`. */
export declare function benchSetting(name: string, full: number, smoke: number): number;
/** The machine's load average (1, 5, 15 minutes), to print beside every figure. */
export declare function loadAverage(): string;
/** Runs a benchmark script with BENCH_SMOKE=1 in its own Node process; resolves with its stdout. */
export declare function runBenchSmoke(
  script: URL | string,
  options?: { nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number },
): Promise<string>;
/** What {@link httpLoad} measured (wrk's figures; latencies in ms). */
export interface HttpLoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  socket: number;
}
/** A closed-loop HTTP load generator in Node, for where `wrk` is not installed. */
export declare function httpLoad(options: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  seconds: number;
  connections: number;
  /** Stop after this many requests (default: only the duration counts). */
  requests?: number;
}): Promise<HttpLoadResult>;
