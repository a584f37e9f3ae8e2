// Child process of ack-latency.bench.mjs: serves one benchmark target on loopback and prints a JSON
// line with its URLs. `bot`: the real licensewatch bot (sandbox LMPI, Slack stand-in, warm cache).
// `bare`: a Bolt app that acks /licenses with a fixed message: BENCH_ACK_PAYLOAD (JSON: the bot's own
// reply, so both targets serialise and send the same bytes), or nothing when unset.

import { fileURLToPath } from 'node:url';
import { createSandbox } from '@licensewatch/lmpi-sandbox';
import { startSlackStandIn } from '@licensewatch/slack-stand-in';
import { App, LogLevel } from '@slack/bolt';
import { createLogger, startBot } from '../dist/index.js';

const SIGNING_SECRET = process.env.BENCH_SIGNING_SECRET;
// A normal exit on SIGTERM, so that `node --cpu-prof` writes its profile (README: "Profile").
process.on('SIGTERM', () => process.exit(0));
const kind = process.argv[2];
const slack = await startSlackStandIn({
  botToken: 'xoxb-bench',
  manifest: fileURLToPath(new URL('../manifest.yml', import.meta.url)),
});

if (kind === 'sink') {
  // Stands in for Slack's response_url endpoint, in its own process so that receiving replies
  // does not count against the bot (real Slack receives them elsewhere).
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(`TARGET ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}`);
} else if (kind === 'bot') {
  const sandbox = await createSandbox();
  const { accessToken, secretKey } = sandbox.credentials.distributor;
  const bot = await startBot(
    {
      port: 0,
      logLevel: 'warn',
      cacheTtlMs: Number(process.env.BENCH_TTL_MS ?? 60_000),
      lmpiTimeoutMs: 10_000,
      alerts: {
        databaseUrl: 'sqlite::memory:',
        pollIntervalMs: 3_600_000,
        alertChannel: undefined,
        thresholdsFile: undefined,
        adminUserIds: [],
        historyRetentionMs: 86_400_000,
        claimTimeoutMs: 60_000,
      },
      slack: { mode: 'http', botToken: 'xoxb-bench', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
      lmpi: { mode: 'remote', baseUrl: sandbox.url, accessToken, secretKey },
    },
    { logger: createLogger({ level: 'warn', secrets: [] }), host: '127.0.0.1' },
  );
  await bot.cache.refresh();
  console.log(`TARGET ${JSON.stringify({ url: bot.url, responseBase: slack.url, sandbox: sandbox.url })}`);
} else {
  const app = new App({
    token: 'xoxb-bench',
    signingSecret: SIGNING_SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.apiUrl },
  });
  const payload = process.env.BENCH_ACK_PAYLOAD ? JSON.parse(process.env.BENCH_ACK_PAYLOAD) : undefined;
  app.command('/licenses', async ({ ack }) => {
    await ack(payload);
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  console.log(
    `TARGET ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, responseBase: slack.url })}`,
  );
}
