/** Failure modes the sandbox can inject into API answers (authenticated requests only). */
export const FAULT_KINDS = [
  'latency',
  'internal-error',
  'unavailable',
  'rate-limit',
  'hang',
  'malformed-json',
  'html-content-type',
  'schema-drift',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Schema drift variants for `schema-drift` faults. The first three are tolerable drift (the default
 * set); `negative-available` makes one record unusable: the first product's `available` becomes -5.
 */
export const DRIFT_VARIANTS = ['lowercase-version', 'unknown-type', 'extra-field', 'negative-available'] as const;
export type DriftVariant = (typeof DRIFT_VARIANTS)[number];

/**
 * A fault to inject: for the next `count` API requests (default 1), or for `forMs` milliseconds.
 * - `latency`: answer normally after `latencyMs` (default 5,000).
 * - `internal-error`: 500 `InternalError`. `unavailable`: 503 with an HTML body, as a gateway would.
 * - `rate-limit`: 429 with `Retry-After: retryAfterSeconds` (default 1).
 * - `hang`: accept the request and never answer.
 * - `malformed-json`: 200 with a truncated JSON body.
 * - `html-content-type`: the normal JSON body labelled `text/html` (documented LMPI quirk).
 * - `schema-drift`: the normal body with `drift` variants applied (default: the three tolerable ones).
 */
export interface FaultSpec {
  kind: FaultKind;
  count?: number;
  forMs?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  drift?: DriftVariant[];
}

/** A fault waiting in the queue. */
export interface ActiveFault extends FaultSpec {
  remaining: number;
  until: number;
}

/** First-in, first-out fault queue with counts and deadlines. */
export class FaultQueue {
  private faults: ActiveFault[] = [];

  constructor(private readonly now: () => number) {}

  add(spec: FaultSpec): void {
    const remaining = spec.forMs !== undefined ? Number.POSITIVE_INFINITY : (spec.count ?? 1);
    const until = spec.forMs !== undefined ? this.now() + spec.forMs : Number.POSITIVE_INFINITY;
    this.faults.push({ ...spec, remaining, until });
  }

  /** Takes the fault for the next request, if any, consuming one of its uses. */
  take(): ActiveFault | undefined {
    const now = this.now();
    this.faults = this.faults.filter((fault) => fault.remaining > 0 && fault.until > now);
    const fault = this.faults[0];
    if (fault) fault.remaining -= 1;
    return fault;
  }

  list(): ActiveFault[] {
    const now = this.now();
    return this.faults.filter((fault) => fault.remaining > 0 && fault.until > now);
  }

  clear(): void {
    this.faults = [];
  }
}

/** Applies drift variants to a product list body (returns a modified copy). */
export function applyDrift(body: { products: Record<string, unknown>[] }, variants: readonly DriftVariant[]) {
  const products = body.products.map((product, index) => {
    const drifted: Record<string, unknown> = { ...product };
    if (variants.includes('negative-available') && index === 0) drifted.available = -5;
    if (variants.includes('lowercase-version') && typeof drifted.version === 'string') {
      drifted.version = drifted.version.toLowerCase();
    }
    if (variants.includes('unknown-type')) drifted.type = 'Hybrid';
    if (variants.includes('extra-field')) drifted.license_region = 'GLOBAL';
    return drifted;
  });
  return { ...body, products };
}
