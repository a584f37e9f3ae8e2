import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Consumer tests write a fresh pact here each run; scripts/check-pact.mjs compares it with pacts/. */
export const PACT_OUT_DIR = fileURLToPath(new URL('../.pact-out', import.meta.url));

export default function setup(): void {
  rmSync(PACT_OUT_DIR, { recursive: true, force: true });
}
