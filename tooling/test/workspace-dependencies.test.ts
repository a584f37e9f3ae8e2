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
  license?: string;
  repository?: { url?: string; directory?: string };
  engines?: { node?: string };
  files?: string[];
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
  for (const group of ['apps', 'packages', 'examples']) {
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
  for (const { manifest } of packages) {
    for (const name of needs(manifest, true)) {
      const target = byName.get(name);
      if (target?.dir.startsWith('apps/'))
        problems.push(`${manifest.name} → ${name}: an app is never a dependency; move what is shared to packages/`);
      if (target?.dir.startsWith('examples/'))
        problems.push(`${manifest.name} → ${name}: an example is never a dependency`);
    }
    if (manifest.private) continue;
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
    // Apps are private, except the CLI: it is published for `npm install -g @licensewatch/cli`.
    const publishedApps = packages.filter((p) => p.dir.startsWith('apps/') && !p.manifest.private);
    expect(publishedApps.map((p) => p.manifest.name)).toEqual(['@licensewatch/cli']);
    // Examples use the packages as an outside app would, and are never published.
    const examples = packages.filter((p) => p.dir.startsWith('examples/'));
    expect(examples.map((p) => p.manifest.name)).toContain('@licensewatch/example-runway-report');
    expect(examples.every((p) => p.manifest.private)).toBe(true);
  });

  it('gives every published package what npm needs: license file, repository, engines, files', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    for (const { dir, manifest } of packages.filter((p) => !p.manifest.private)) {
      expect(manifest.license, manifest.name).toBe('MIT');
      expect(manifest.repository?.directory, manifest.name).toBe(dir);
      expect(manifest.engines?.node, manifest.name).toMatch(/^>=\d+/);
      expect(manifest.files, manifest.name).toEqual(expect.arrayContaining(['dist', 'LICENSE']));
      expect(readFileSync(join(root, dir, 'LICENSE'), 'utf8'), `${dir}/LICENSE`).toBe(license);
    }
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
