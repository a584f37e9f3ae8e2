import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceAliases } from '../vitest.shared.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The bot depends on every library package, so it sees every one of them.
const bot = join(root, 'apps/slack-bot');

describe('tests run the code on disk (sourceAliases)', () => {
  it('maps every entry point of every package to its TypeScript source, not dist', () => {
    const aliases = sourceAliases(bot);
    const target = (name: string) => aliases.find((a) => a.find.test(name))?.replacement;
    expect(target('@licensewatch/alerts')).toBe(join(root, 'packages/alerts/src/index.ts'));
    expect(target('@licensewatch/client/retry')).toBe(join(root, 'packages/client/src/retry.ts'));
    expect(target('@licensewatch/schema/fixtures')).toBe(join(root, 'packages/schema/src/fixtures/index.ts'));
    expect(target('@licensewatch/store/testing')).toBe(join(root, 'packages/store/src/testing.ts'));
    for (const name of ['alerts', 'charts', 'client', 'lmpi-sandbox', 'schema', 'store']) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
      for (const subpath of Object.keys(manifest.exports).filter((s) => s !== './package.json')) {
        const id = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        const source = target(id);
        expect(source, id).toMatch(/\/src\/.*\.ts$/);
        expect(existsSync(source ?? ''), id).toBe(true);
      }
    }
  });

  it('matches whole names only: a subpath is not taken for its package', () => {
    const aliases = sourceAliases(bot);
    const matches = aliases.filter((a) => a.find.test('@licensewatch/client'));
    expect(matches.map((a) => a.replacement)).toEqual([join(root, 'packages/client/src/index.ts')]);
    expect(aliases.some((a) => a.find.test('@licensewatch/clientele'))).toBe(false);
  });

  it('maps only what the tested package depends on, and the package itself from its own folder', () => {
    const client = join(root, 'packages/client');
    const aliases = sourceAliases(client);
    // The client does not depend on the sandbox: importing it must fail in its tests as it does for users.
    expect(aliases.some((a) => a.find.test('@licensewatch/lmpi-sandbox'))).toBe(false);
    expect(aliases.find((a) => a.find.test('@licensewatch/schema'))?.replacement).toBe(
      join(root, 'packages/schema/src/index.ts'),
    );
    const copy = '/tmp/stryker-sandbox/packages/client';
    expect(sourceAliases(client).length).toBeGreaterThan(0);
    expect(
      sourceAliases(copy).every((a) => !a.find.test('@licensewatch/client')),
      'a folder without package.json reaches nothing',
    ).toBe(true);
  });
});
