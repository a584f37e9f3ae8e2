import { describe, expect, it } from 'vitest';
import { sandboxBanner } from './banner.js';
import { createSandbox } from './sandbox.js';

describe('sandboxBanner', () => {
  it('prints the URL, the development credentials and what to try', async () => {
    const sandbox = await createSandbox();
    try {
      const banner = sandboxBanner(sandbox, { tryCommand: 'licensewatch products' });
      expect(banner).toMatch(/^LMPI sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(64 products\)/);
      expect(banner).toContain(`LMPI_BASE_URL=${sandbox.url}`);
      expect(banner).toContain('LMPI_SECRET_KEY=sandbox-distributor-secret');
      expect(banner).toContain('  try: licensewatch products');
      expect(banner).toContain('LMPI v2 at /LMPI/v2/… and v3 at /LMPI/v3/… (only v3 lists Trend Vision One plans');
    } finally {
      await sandbox.close();
    }
  });

  it('names credentials from the environment without printing them', async () => {
    const secretKey = 'a-secret-from-the-environment';
    const sandbox = await createSandbox({
      credentials: { distributor: { accessToken: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', secretKey, partnerId: 'p' } },
    });
    try {
      const banner = sandboxBanner(sandbox, { credentialsFromEnv: true });
      expect(banner).toContain('LMPI_ACCESS_TOKEN / LMPI_SECRET_KEY from the environment');
      expect(banner).not.toContain(secretKey);
    } finally {
      await sandbox.close();
    }
  });
});
