#!/usr/bin/env bash
# Writes the Slack bot's production bundle to OUT: its built dist/, package.json and only its
# production dependencies (workspace packages injected as real copies, no devDependencies, so no
# LMPI sandbox), installed with `pnpm deploy --prod`. OUT runs on its own, without the workspace:
#   node OUT/dist/main.js
# The Dockerfile and the bundle test both use this script, so what the test starts is what the
# image ships. Run `pnpm build` first (the Dockerfile does).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/bundle-bot.sh OUT" >&2
  exit 64
fi
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")
cd "$root"
for dir in apps/slack-bot packages/schema packages/client packages/alerts packages/store packages/charts; do
  [ -f "$dir/dist/index.js" ] || { echo "bundle-bot: $dir/dist is missing: run pnpm build first" >&2; exit 1; }
done
# Nothing compiles here: better-sqlite3's build is off in allowBuilds (it loads the Node-API binary
# it ships), so the install needs no Node headers (no npm_config_nodedir).
rm -rf "$out"
pnpm --filter @licensewatch/slack-bot --prod deploy "$out" >&2
# Where state goes unless DATA_DIR says otherwise (the image sets DATA_DIR=/data).
mkdir -p "$out/data"
echo "bundle-bot: wrote $out ($(du -sh "$out" | cut -f1))" >&2
