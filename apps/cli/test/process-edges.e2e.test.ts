import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox, type StoredProduct } from '@licensewatch/lmpi-sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';

// The edges of a process that users hit from a shell: a reader that goes away (`| head -1`), an
// unsupported Node.js, a port already in use, and the documented exit codes.

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const baseEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(LMPI_|DATABASE_URL$|NO_COLOR$)/.test(key)));

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...baseEnv(), ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? -1) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

let sandbox: Sandbox | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
});

/** A sandbox with `count` products: a table far larger than a pipe's buffer (64 KiB). */
async function lmpi(count: number): Promise<Record<string, string>> {
  const products: StoredProduct[] = Array.from({ length: count }, (_, i) => ({
    product_id: `${String(i).padStart(8, '0')}-cccc-4ddd-8eee-000000000000`,
    product_code: `P${String(i).padStart(4, '0')}XXXX`,
    product_name: `Pipe Product ${i} with a name long enough to fill a table row`,
    type: 'SaaS',
    version: 'Full',
    available: 500 + i,
    service_plans: [],
  }));
  sandbox = await createSandbox({ catalogue: products });
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  return { LMPI_BASE_URL: sandbox.url, LMPI_ACCESS_TOKEN: accessToken, LMPI_SECRET_KEY: secretKey };
}

describe('a reader that stops reading', () => {
  it.each([
    ['head -1', 1],
    ['true', 0],
  ])('`licensewatch products | %s` exits 0 with no error on stderr', async (reader, lines) => {
    const env = await lmpi(2_000);
    const script = `set -o pipefail; "$BIN" products 2>"$ERR" | ${reader}`;
    const errFile = join(mkdtempSync(join(tmpdir(), 'lw-pipe-')), 'stderr');
    const result = await run('bash', ['-c', script], { ...env, BIN: bin, ERR: errFile });
    const stderr = readFileSync(errFile, 'utf8');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(lines);
    expect(stderr).not.toMatch(/EPIPE|Error|unexpected/i);
    expect(stderr).toContain('2000 of 2000 products'); // the summary still goes to stderr
  });

  it('keeps the exit code of `check` when the reader goes away early', async () => {
    const env = await lmpi(2_000);
    const result = await run(
      'bash',
      ['-c', 'set -o pipefail; "$BIN" check --low 600 --critical 10 2>/dev/null | head -1'],
      {
        ...env,
        BIN: bin,
      },
    );
    expect(result.code).toBe(EXIT.low); // 100 products at or below 600: low, whoever reads the output
  });
});

describe('an unsupported Node.js', () => {
  /** Node 24 posing as an older Node: the check reads process.versions.node. */
  const posingAs = (version: string) =>
    `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;

  it('exits 64 naming the supported versions, before reading any setting or database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-node-'));
    const result = await run(process.execPath, ['--import', posingAs('20.20.2'), bin, 'check'], {
      DATABASE_URL: `sqlite:${join(dir, 'bot.db')}`,
    });
    expect(result.code).toBe(64);
    expect(result.stdout).toBe('');
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(result.stderr).toBe(
      `licensewatch: Node.js 20.20.2 is not supported: licensewatch runs on Node.js ${manifest.engines.node} (24 or newer). Install a supported Node.js (https://nodejs.org) and run it again.\n`,
    );
  });

  it('runs on the supported Node.js it is tested with', async () => {
    const result = await run(process.execPath, [bin, '--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('loads nothing of the CLI before the check: the entry imports only the check and the exit codes', () => {
    const imports = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports(bin).sort()).toEqual(['./exit-codes.js', './runtime-check.js']);
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    expect(imports(join(dist, 'runtime-check.js'))).toEqual(['node:fs']);
    expect(imports(join(dist, 'exit-codes.js'))).toEqual([]);
  });
});

describe('a port already in use', () => {
  it('`licensewatch sandbox` names the --port flag and exits 64', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const result = await run(bin, ['sandbox', '--port', String(port)]);
    expect(result.code).toBe(64);
    expect(result.stderr).toBe(
      `licensewatch: port ${port} is already in use on 127.0.0.1: stop what uses it, or choose another with --port\n`,
    );
  });
});

describe('exit codes', () => {
  it('an output error other than a closed pipe is one line and exit 70, not a stack trace', async () => {
    const env = await lmpi(3);
    const result = await run('bash', ['-c', '"$BIN" products --json > /dev/full'], { ...env, BIN: bin });
    expect(result.code).toBe(EXIT.internal);
    expect(result.stderr).toBe('licensewatch: unexpected error: ENOSPC: no space left on device, write\n');
  });

  it('the README table lists every exit code the CLI uses, and nothing else', () => {
    const section = readFileSync(readme, 'utf8').split('**Exit codes**')[1] ?? '';
    const table = section.split('\n\n')[1] ?? '';
    const documented = [...table.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });
});
