import { readFileSync } from 'node:fs';

// The Node.js versions the CLI supports, checked before anything else loads (bin.ts): on an older
// Node the SQLite driver's native binding crashes the process (a segfault, exit 139) instead of
// failing with a message. Imports nothing but node:fs, so nothing native can load before it runs.

/** The lowest supported version, from a `>=MAJOR[.MINOR[.PATCH]]` engines range. */
export function minimumVersion(range: string): [number, number, number] {
  const match = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`engines.node must read ">=MAJOR[.MINOR[.PATCH]]", got ${JSON.stringify(range)}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** The `engines.node` range of the CLI's package.json, e.g. `>=24`. */
export function supportedNodeRange(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    engines?: { node?: string };
  };
  return manifest.engines?.node ?? '>=0';
}

/**
 * Why this Node.js cannot run the CLI, naming the supported versions; undefined when it can.
 *
 * @example
 * ```ts
 * unsupportedNode('20.20.2', '>=24')
 * // 'Node.js 20.20.2 is not supported: licensewatch runs on Node.js >=24 (24 or newer). …'
 * ```
 */
export function unsupportedNode(version: string, range: string): string | undefined {
  const minimum = minimumVersion(range);
  const current = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const [have, need] = [current[i] ?? 0, minimum[i] ?? 0];
    if (have > need) return undefined;
    if (have < need) {
      const lowest = minimum[1] || minimum[2] ? minimum.join('.') : String(minimum[0]);
      return (
        `Node.js ${version.replace(/^v/, '')} is not supported: licensewatch runs on Node.js ${range} ` +
        `(${lowest} or newer). Install a supported Node.js (https://nodejs.org) and run it again.`
      );
    }
  }
  return undefined;
}
