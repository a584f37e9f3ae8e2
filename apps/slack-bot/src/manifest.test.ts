import { readFileSync } from 'node:fs';
import { manifestBotScopes } from '@licensewatch/slack-stand-in';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helpMessage } from './licenses/help.js';
import { MANIFEST_PATH } from './manifest-path.js';

interface Manifest {
  display_information: { name: string };
  features: { bot_user: { display_name: string }; slash_commands: { command: string; usage_hint: string }[] };
}

const manifest = parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('manifest.yml is the truth', () => {
  it('fits Slack’s manifest schema limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe('/licenses');
    expect(command?.usage_hint.length).toBeLessThanOrEqual(1_000);
  });

  it('has the README’s set-up steps name every bot scope it grants', () => {
    const setup = readme.slice(readme.indexOf('## Connect it to Slack'), readme.indexOf('## Configuration'));
    for (const scope of manifestBotScopes(MANIFEST_PATH)) expect(setup).toContain(`\`${scope}\``);
  });

  it('lists the bot scopes in one place, step 2, exactly as the manifest grants them', () => {
    const step2 = readme.slice(readme.indexOf('2. _Install to Workspace_'), readme.indexOf('3. HTTP mode'));
    const listed = step2
      .split('\n')
      .filter((line) => /^ {3}- `/.test(line))
      .flatMap((line) => [...line.slice(0, line.indexOf('`: ') + 1).matchAll(/`([a-z.:]+)`/g)].map((m) => m[1] ?? ''));
    expect(listed.sort()).toEqual([...manifestBotScopes(MANIFEST_PATH)].sort());
  });

  it('lists in usage_hint every subcommand /licenses help lists', () => {
    const hint = manifest.features.slash_commands[0]?.usage_hint ?? '';
    const help = JSON.stringify(helpMessage().blocks);
    // Each form starts a bullet (• …) or follows a separator (· …); examples (e.g. …) do not count.
    const subcommands = [...help.matchAll(/[•·] `\/licenses ([a-z]+)/g)].map((m) => m[1] ?? '');
    expect(subcommands.length).toBeGreaterThan(4);
    for (const word of new Set(subcommands)) expect(hint).toContain(word);
  });
});
