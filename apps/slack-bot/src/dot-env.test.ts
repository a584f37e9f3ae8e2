import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDotEnv } from './dot-env.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A workspace like the repository: a root with pnpm-workspace.yaml and the bot in apps/slack-bot. */
function workspace(): { root: string; bot: string } {
  const outside = mkdtempSync(join(tmpdir(), 'licensewatch-dotenv-'));
  dirs.push(outside);
  const root = join(outside, 'repo');
  const bot = join(root, 'apps', 'slack-bot');
  mkdirSync(bot, { recursive: true });
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: [apps/*]\n');
  return { root, bot };
}

describe('findDotEnv', () => {
  it('finds the .env at the repository root when pnpm start runs the bot in apps/slack-bot', () => {
    const { root, bot } = workspace();
    expect(findDotEnv(bot)).toBeUndefined();
    writeFileSync(join(root, '.env'), 'PORT=3001\n');
    expect(findDotEnv(bot)).toBe(join(root, '.env'));
  });

  it('prefers a .env next to the bot, and never looks above the workspace root', () => {
    const { root, bot } = workspace();
    writeFileSync(join(root, '..', '.env'), 'PORT=1\n');
    expect(findDotEnv(bot)).toBeUndefined();
    writeFileSync(join(root, '.env'), 'PORT=2\n');
    writeFileSync(join(bot, '.env'), 'PORT=3\n');
    expect(findDotEnv(bot)).toBe(join(bot, '.env'));
  });

  it('outside a workspace (an installed image) reads only the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'licensewatch-dotenv-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, '.env'), 'PORT=1\n');
    expect(findDotEnv(join(dir, 'app'))).toBeUndefined();
    expect(findDotEnv(dir)).toBe(join(dir, '.env'));
  });
});
