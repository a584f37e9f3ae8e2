import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('published shape', () => {
  it('imports by package name from plain Node (built ESM, no TypeScript loader)', () => {
    const script = `
      const client = await import('@licensewatch/client');
      const signer = await import('@licensewatch/client/signer');
      const schema = await import('@licensewatch/schema');
      const fixtures = await import('@licensewatch/schema/fixtures');
      const signature = signer.signLmpiRequest({ secretKey: 'example-secret', posixTime: 1363797148, method: 'GET', uri: '/LMPI/v2/partners/product' });
      const parsed = schema.parseProductCatalogue(fixtures.sampleProductListResponse);
      console.log(JSON.stringify({ signature, products: parsed.data.products.length, create: typeof client.createLmpiClient }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      signature: 'L6rdaydcJ32rlPVdb0vtokEwGvp7/hk/llxsGeMGaoU=',
      products: 2,
      create: 'function',
    });
  });

  it('ships type declarations where exports says, types first', () => {
    const manifest = JSON.parse(readFileSync(`${packageDir}/package.json`, 'utf8'));
    const root = manifest.exports['.'];
    expect(Object.keys(root)[0]).toBe('types');
    expect(existsSync(`${packageDir}/${root.types}`)).toBe(true);
    expect(readFileSync(`${packageDir}/${root.types}`, 'utf8')).toContain('createLmpiClient');
    for (const [subpath, entry] of Object.entries<Record<string, string>>(manifest.exports)) {
      if (subpath === './package.json') continue;
      expect(Object.keys(entry)[0], subpath).toBe('types');
      expect(existsSync(`${packageDir}/${entry.types}`), subpath).toBe(true);
      expect(existsSync(`${packageDir}/${entry.import}`), subpath).toBe(true);
    }
  });
});
