import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs benchmark helper without declarations; what it returns is asserted below
import { startPath } from '../bench/start-path.mjs';

const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');

// The bot's memory settings live in how the process is started (Node flags, a malloc variable read
// before Node runs): `pnpm start` and the container must start it the same way, and the benchmarks
// that publish RSS figures start it as `pnpm start` does.
describe('start path (pnpm start, the Dockerfile, the benchmarks)', () => {
  const start = startPath() as { env: Record<string, string>; flags: string[]; entry: string };

  it('the start script sets the memory settings measured in the README', () => {
    expect(start.env).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(start.flags).toEqual(['--optimize-for-size']);
    expect(start.entry).toBe('dist/main.js');
  });

  it("the Dockerfile's CMD runs node with the start script's flags and entry point", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd && JSON.parse(cmd)).toEqual(['node', ...start.flags, start.entry]);
  });

  it("the Dockerfile's runtime stage sets the start script's environment variables", () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    for (const [name, value] of Object.entries(start.env))
      expect(runtime).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });
});
