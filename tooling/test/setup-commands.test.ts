import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's two commands are the whole set-up: what they run, and what CI runs, must stay the same
// thing, with no environment to remember.

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The shell lines of the README's "Two commands" block, comments dropped. */
function readmeCommands(): string[] {
  const section = read('README.md').split('## Two commands')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
}

describe("the README's two commands", () => {
  it('install and start with no environment-variable prefix, then test with pnpm test', () => {
    const [install, test] = readmeCommands();
    expect(install).toBe('npm install -g pnpm@12.4.2 && pnpm install && pnpm start');
    expect(test).toBe('pnpm test');
    expect(readmeCommands()).toHaveLength(2);
  });

  it('CI runs exactly the test command, and the test command readies its services first', () => {
    const ci = read('.ci/run');
    expect(ci).toMatch(/^pnpm test 2>&1/m);
    expect(ci).not.toContain('npm_config_nodedir');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test?.startsWith('bash scripts/ensure-test-services.sh && ')).toBe(true);
    expect(existsSync(join(root, 'scripts/ensure-test-services.sh'))).toBe(true);
  });

  it('compiles nothing: pnpm runs no better-sqlite3 build, and its shipped binary loads', () => {
    expect(read('pnpm-workspace.yaml')).toMatch(/^ {2}better-sqlite3: false$/m);
    const require = createRequire(join(root, 'packages/store/package.json'));
    const driver = join(require.resolve('better-sqlite3/package.json'), '..');
    expect(existsSync(join(driver, 'build/Release/better_sqlite3.node'))).toBe(false);
    const Database = require('better-sqlite3') as new (path: string) => { close(): void };
    new Database(':memory:').close();
  });
});

describe('the GitHub workflows', () => {
  /** A workflow file as written (the assertions read its lines; no YAML parser needed). */
  const workflow = (name: string) => read(`.github/workflows/${name}`);

  it('test every pull request with the same script as CI, which runs the README test command', () => {
    const ci = workflow('ci.yml');
    expect(ci).toMatch(/^on:\n {2}pull_request:/m);
    expect(ci).toMatch(/^ {6}- run: \.ci\/run$/m);
    expect(readmeCommands()[1]).toBe('pnpm test');
    expect(read('.ci/run')).toMatch(/^pnpm test 2>&1/m);
  });

  it('publish with the token variable actions/setup-node writes into .npmrc, and install with no environment', () => {
    const release = workflow('release.yml');
    expect(release).toMatch(/registry-url: https:\/\/registry\.npmjs\.org/);
    expect(release).toMatch(/^ {10}NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}$/m);
    expect(release).not.toMatch(/^\s+NPM_TOKEN:/m);
    expect(release).toContain('changesets/action@v2');
    expect(release).not.toMatch(/^\s+npm_config_nodedir:/m);
    expect(release).toMatch(/id-token: write/);
  });
});
