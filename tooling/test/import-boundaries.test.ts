import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importBoundaries, type Layout, packageFolders } from './import-boundaries.js';

// The workspace's import rules (see import-boundaries.ts), checked on the code as it is and, to show
// the check can fail and says where, on a fixture that breaks each rule once.

const root = fileURLToPath(new URL('../..', import.meta.url));

const WORKSPACE: Layout = {
  root,
  apps: [
    // runtime/ (with runtime.ts, app.ts, main.ts and index.ts beside it) builds the bot from its features.
    { dir: 'apps/slack-bot', shared: 'block-kit', composition: ['runtime'] },
    { dir: 'apps/cli' },
  ],
  packages: packageFolders(root),
};

const fixture: Layout = {
  root: fileURLToPath(new URL('./fixtures/import-boundaries', import.meta.url)),
  apps: [{ dir: 'apps/bot', shared: 'block-kit', composition: ['runtime'] }],
  packages: ['packages/lib'],
};

describe('import boundaries of the workspace', () => {
  it('has no cycle between an app’s folders, no shared module importing its app, no package importing an app', async () => {
    const { problems, filesRead, partImports } = await importBoundaries(WORKSPACE);
    expect(problems).toEqual([]);
    // It read the code (a parser that silently found no imports would pass anything): the bot's
    // /licenses feature reads alert settings, and every feature builds on block-kit.
    expect(filesRead).toBeGreaterThan(100);
    expect([...(partImports.get('apps/slack-bot:licenses/') ?? [])]).toEqual(
      expect.arrayContaining(['alerts/', 'block-kit/']),
    );
    expect([...(partImports.get('apps/slack-bot:delivery/') ?? [])]).toContain('block-kit/');
    expect(partImports.get('apps/slack-bot:block-kit/')).toBeUndefined();
  }, 120_000);
});

describe('the check on code that breaks the rules', () => {
  const report = importBoundaries(fixture);

  it('reports a cycle between two folders, naming the files that tie it', async () => {
    const { problems } = await report;
    const cycle = problems.find((p) => p.includes('alerts/ -> licenses/ -> alerts/'));
    expect(cycle).toBeDefined();
    expect(cycle).toContain('import cycle in apps/bot/src');
    expect(cycle).toContain('alerts/ -> licenses/: alerts/poll.ts -> licenses/reply.ts');
    expect(cycle).toContain('licenses/ -> alerts/: licenses/reply.ts -> alerts/levels.ts');
  });

  it('reports a cycle between a top-level file and a folder, type-only imports included', async () => {
    const { problems } = await report;
    const cycle = problems.find((p) => p.includes('health.ts -> ops/ -> health.ts'));
    expect(cycle).toContain('health.ts -> ops/: health.ts -> ops/state.ts');
    expect(cycle).toContain('ops/ -> health.ts: ops/state.ts -> health.ts');
  });

  it('reports the shared folder importing the rest of its app', async () => {
    const { problems } = await report;
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^shared-imports-only-itself: apps\/bot\/src\/block-kit\/bold\.ts -> apps\/bot\/src\/licenses\/format\.ts: /,
      ),
    );
  });

  it('reports a feature reaching into another feature’s sub-folder, and lets the composition root do it', async () => {
    const { problems } = await report;
    const internals = problems.filter((p) => p.startsWith('no-feature-internals:'));
    expect(internals).toEqual([
      expect.stringMatching(
        /^no-feature-internals: apps\/bot\/src\/charts\/chart\.ts -> apps\/bot\/src\/delivery\/slack\/render\.ts: /,
      ),
    ]);
  });

  it('reports a package importing an app by path and by name', async () => {
    const { problems } = await report;
    const fromPackages = problems.filter((p) => p.startsWith('packages-never-import-apps:')).sort();
    expect(fromPackages).toEqual([
      expect.stringMatching(/^packages-never-import-apps: packages\/lib\/src\/index\.ts -> @fixture\/bot: /),
      expect.stringMatching(
        /^packages-never-import-apps: packages\/lib\/src\/index\.ts -> apps\/bot\/src\/alerts\/poll\.ts: /,
      ),
    ]);
  });

  it('reports nothing else', async () => {
    const { problems } = await report;
    expect(problems).toHaveLength(6);
  });
});
