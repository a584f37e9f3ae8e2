import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout rule, checked on every package.json of the workspace: apps depend on packages only,
// and a published package never needs something that is not published (an app or a private package).

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

function workspacePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['apps', 'packages']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      found.push({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) });
    }
  }
  found.push({ dir: 'tooling', manifest: JSON.parse(readFileSync(join(root, 'tooling', 'package.json'), 'utf8')) });
  return found;
}

/** What a package needs installed (`dev` too when `withDev`), by name. */
function needs(manifest: Manifest, withDev: boolean): string[] {
  const fields = [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies];
  if (withDev) fields.push(manifest.devDependencies);
  return fields.flatMap((field) => Object.keys(field ?? {}));
}

/** Every rule broken, as "from → to: why". */
export function layoutViolations(packages: readonly WorkspacePackage[]): string[] {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const problems: string[] = [];
  for (const { dir, manifest } of packages) {
    for (const name of needs(manifest, true)) {
      const target = byName.get(name);
      if (target?.dir.startsWith('apps/'))
        problems.push(`${manifest.name} → ${name}: an app is never a dependency; move what is shared to packages/`);
    }
    if (!dir.startsWith('packages/') || manifest.private) continue;
    for (const name of needs(manifest, false)) {
      const target = byName.get(name);
      if (target?.manifest.private)
        problems.push(`${manifest.name} → ${name}: a published package cannot depend on a private one`);
    }
  }
  return problems;
}

describe('workspace dependencies', () => {
  const packages = workspacePackages();

  it('finds every app and package of the workspace', () => {
    const names = packages.map((p) => p.manifest.name);
    expect(names).toEqual(
      expect.arrayContaining(['@licensewatch/slack-bot', '@licensewatch/cli', '@licensewatch/client']),
    );
    expect(packages.filter((p) => p.dir.startsWith('apps/')).every((p) => p.manifest.private)).toBe(true);
  });

  it('apps depend on packages only, and published packages only on published packages', () => {
    expect(layoutViolations(packages)).toEqual([]);
  });

  it('reports an app used as a dependency, and a published package needing a private one', () => {
    const app = { dir: 'apps/bot', manifest: { name: '@x/bot', private: true } };
    const internal = { dir: 'packages/store', manifest: { name: '@x/store', private: true } };
    const published = {
      dir: 'packages/client',
      manifest: { name: '@x/client', dependencies: { '@x/store': 'workspace:*' }, devDependencies: { '@x/bot': '*' } },
    };
    const privateUser = {
      dir: 'packages/tools',
      manifest: { name: '@x/tools', private: true, dependencies: { '@x/store': '*' } },
    };
    expect(layoutViolations([app, internal, published, privateUser])).toEqual([
      '@x/client → @x/bot: an app is never a dependency; move what is shared to packages/',
      '@x/client → @x/store: a published package cannot depend on a private one',
    ]);
  });
});
