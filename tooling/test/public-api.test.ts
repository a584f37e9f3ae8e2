import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each library's public surface, entry point by entry point (`exports` in package.json), checked
// against the committed list in tooling/public-api.json. Adding an export is a decision (the list
// changes in the same commit, reviewers see it); removing one is a breaking change (say so in a
// changeset). After a deliberate change: `UPDATE_PUBLIC_API=1 pnpm --filter @licensewatch/tooling test`,
// then `pnpm exec biome format --write tooling/public-api.json`.

const root = fileURLToPath(new URL('../..', import.meta.url));
const listFile = join(root, 'tooling', 'public-api.json');

type Surface = Record<string, Record<string, string[]>>;

/** The source file behind an `exports` entry: `./dist/x/index.d.ts` is built from `src/x/index.ts`. */
function sourceOf(types: string): string {
  return types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
}

/** The names an entry file exports; types as `type Name`. `export *` is refused: list names. */
function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (/^export \*/m.test(text)) throw new Error(`${file}: export * hides what is public; name each export`);
  const names: string[] = [];
  for (const [, typeOnly, list] of text.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    for (const raw of (list ?? '').split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const isType = Boolean(typeOnly) || item.startsWith('type ');
      const name =
        item
          .replace(/^type /, '')
          .split(/\s+as\s+/)
          .pop() ?? item;
      names.push(isType ? `type ${name}` : name);
    }
  }
  for (const [, kind, name] of text.matchAll(
    /^export (?:declare )?(?:async )?(function\*?|const|let|class|abstract class|interface|type|enum) (\w+)/gm,
  )) {
    names.push(kind === 'interface' || kind === 'type' ? `type ${name}` : `${name}`);
  }
  return [...new Set(names)].sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
}

function publicSurface(): Surface {
  const surface: Surface = {};
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, 'packages', entry.name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const entries: Record<string, string[]> = {};
    for (const [subpath, target] of Object.entries<{ types?: string } | string>(manifest.exports ?? {})) {
      if (typeof target === 'string' || !target.types) continue; // ./package.json
      entries[subpath] = exportedNames(join(dir, sourceOf(target.types)));
    }
    surface[manifest.name] = entries;
  }
  return surface;
}

describe('public API of each package', () => {
  it('is exactly the committed list (tooling/public-api.json)', () => {
    const actual = publicSurface();
    if (process.env.UPDATE_PUBLIC_API) writeFileSync(listFile, `${JSON.stringify(actual, null, 2)}\n`);
    const committed: Surface = JSON.parse(readFileSync(listFile, 'utf8'));
    expect(actual).toEqual(committed);
  });

  it('keeps signing internals, test fixtures and unused helpers off the index', () => {
    const surface = publicSurface();
    const client = surface['@licensewatch/client']?.['.'] ?? [];
    for (const internal of ['shellQuote', 'curlCommand', 'stringToSign', 'bodyDigest', 'normaliseBaseUrl'])
      expect(client).not.toContain(internal);
    expect(surface['@licensewatch/client']?.['./signer']).toContain('signLmpiRequest');
    expect(surface['@licensewatch/client']?.['./retry']).toEqual(
      expect.arrayContaining(['isRetryableStatus', 'parseRetryAfter', 'nextRetryDelay']),
    );
    expect(surface['@licensewatch/lmpi-sandbox']?.['.']).not.toContain('LONGEST_NAME');
    expect(surface['@licensewatch/lmpi-sandbox']?.['./fixtures']).toContain('defaultCatalogue');
    expect(surface['@licensewatch/charts']?.['.']).not.toContain('chartPoints');
  });
});
