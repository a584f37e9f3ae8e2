import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot, until } from './processes.js';

// The local Slack you can click: the bot in local mode (what `pnpm start` runs), its web view at
// /local, driven in Debian's Chromium. Every press and command goes to the bot as Slack's signed
// request; what is checked is what the page shows.

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SLOW = 20_000; // a busy machine: generous waits, never a timing assertion

describe('the local Slack web view (local mode, in Chromium)', () => {
  let bot: BotProcess;
  let profile: string;
  let browser: BrowserContext;
  let local: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-services.sh (apt-get install chromium)`);
    bot = await spawnBot({ DATABASE_URL: 'sqlite::memory:' });
    local = `http://127.0.0.1:${bot.port}/local`;
    expect(bot.output()).toContain(`Local Slack you can click: ${local}`);
    // Runways and alerts come from the first poll: its first alert posted means they are in.
    await until(() => /chat\.postMessage to CLOCALALERTS/.test(bot.output()), SLOW, 'the first poll');
    profile = mkdtempSync(join(tmpdir(), 'licensewatch-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (bot && bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });

  const open = async (channel?: string): Promise<Page> => {
    const page = await browser.newPage();
    await page.goto(channel ? `${local}?channel=${channel}` : local);
    return page;
  };

  it('shows the alert channel as posted; Acknowledge changes the alert, live on every open page', async () => {
    const pressing = await open();
    const watching = await open('CLOCALALERTS');
    const alert = pressing.locator('.message', { hasText: 'license pools need attention' }).first();
    await alert.waitFor({ timeout: SLOW });
    await expect(pressing.locator('header.channel').textContent()).resolves.toBe('# license-alerts');
    const first = alert.locator('.section').first();
    const product = (await first.locator('b').first().textContent()) ?? '';
    expect(await first.textContent()).toContain('🔴 Critical');

    await alert.getByRole('button', { name: 'Acknowledge' }).first().click();

    // The bot updated its own message (chat.update): both pages show it, the second without a reload.
    for (const page of [pressing, watching]) {
      const section = page.locator('.section', { hasText: product }).first();
      await section.getByText('acknowledged by').waitFor({ timeout: SLOW });
      expect(await section.textContent()).not.toContain('🔴 Critical');
    }

    // Snooze on the next alert in the same message: it says who snoozed it and for how long.
    const next = pressing.locator('.section', { hasText: '🔴 Critical' }).first();
    const nextProduct = (await next.locator('b').first().textContent()) ?? '';
    const actions = pressing
      .locator('.section', { hasText: nextProduct })
      .first()
      .locator('xpath=following-sibling::div[1]');
    await actions.getByRole('button', { name: 'Snooze 1 day' }).click();
    await watching
      .locator('.section', { hasText: nextProduct })
      .first()
      .getByText('💤 snoozed by @local-user for 1 day')
      .waitFor({ timeout: SLOW });
    await pressing.close();
    await watching.close();
  });

  it('runs /licenses typed in #licenses and pages it with Next and Previous', async () => {
    const page = await open();
    await page.getByRole('link', { name: '# licenses' }).click();
    await expect.poll(() => page.locator('header.channel').textContent(), { timeout: SLOW }).toBe('# licenses');
    await page.getByRole('textbox', { name: 'Message' }).fill('/licenses');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');

    const reply = page.locator('.message.ephemeral', { hasText: 'Licenses:' }).first();
    await reply.waitFor({ timeout: SLOW });
    expect(await reply.locator('.who').textContent()).toContain('Only visible to you');
    expect(await reply.textContent()).toContain('Licenses: 64 products, 12 at risk');

    await reply.getByRole('button', { name: /Next \(2\/2\)/ }).click();
    // replace_original: the same reply now shows page 2, with a way back and no way further.
    await reply.getByRole('button', { name: /Previous \(1\/2\)/ }).waitFor({ timeout: SLOW });
    expect(await reply.getByRole('button', { name: /Next/ }).count()).toBe(0);
    expect(await page.locator('.message.ephemeral', { hasText: 'Licenses:' }).count()).toBe(1);
    await page.close();
  });

  it('shows a product with its chart, and shares the chart in the channel for everyone', async () => {
    const page = await open('CLOCAL');
    await page.getByRole('textbox', { name: 'Message' }).fill('/licenses AAAUXXE1X');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const reply = page.locator('.message.ephemeral', { hasText: 'AAAUXXE1X' }).last();
    const chart = reply.locator('img.block');
    await chart.waitFor({ timeout: SLOW });
    // The chart is the PNG the bot uploaded, loaded by the browser from the stand-in.
    await expect
      .poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: SLOW })
      .toBeGreaterThan(100);

    await reply.getByRole('button', { name: 'Share chart in channel' }).click();
    const shared = page.locator('.message:not(.ephemeral)', { hasText: 'shared the 30-day chart' }).last();
    await shared.waitFor({ timeout: SLOW });
    expect(await shared.locator('.who').textContent()).toBe('licensewatch'); // in the channel, for everyone
    expect(await shared.textContent()).toContain(
      '@local-user shared the 30-day chart of Trend Micro Deep Security Advanced',
    );
    await expect
      .poll(
        () => shared.locator('img.block').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        {
          timeout: SLOW,
        },
      )
      .toBeGreaterThan(100);
    expect(await page.locator('header.channel').textContent()).toBe('# licenses');
    await page.close();
  });

  it('opens the Home tab, published by the bot when it is opened', async () => {
    const page = await open();
    await page.getByRole('link', { name: 'licensewatch · Home' }).click();
    await page.getByRole('heading', { name: 'License pools', exact: true }).waitFor({ timeout: SLOW });
    expect(await page.locator('#conversation').textContent()).toContain('At risk: 12');
    await page.close();
  });
});
