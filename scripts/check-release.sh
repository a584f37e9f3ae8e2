#!/usr/bin/env bash
# Release files are code: fails when a changeset is malformed (changeset status) or when
# `changeset version` cannot run. The version step runs on a throwaway copy of the tracked and
# untracked-but-not-ignored files, so the working tree is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
changeset=$PWD/node_modules/.bin/changeset

if ! status=$("$changeset" status 2>&1); then
  printf '%s\n' "$status" | grep -v '^🦋  error     at ' >&2
  echo "check-release: 'changeset status' failed: a malformed file in .changeset/, or a changed package without a changeset" >&2
  exit 1
fi

# changesets 3 exits 1 from `version` when nothing is pending (right after a release): nothing to try.
pending=$(find .changeset -name '*.md' ! -name README.md | wc -l)
if [ "$pending" -eq 0 ]; then
  echo "check-release: no pending changesets; nothing for 'changeset version' to do"
  exit 0
fi

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$copy" 2>/dev/null || true
(
  cd "$copy"
  git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm copy && git branch -qM main
  "$changeset" version >/dev/null
  pending=$(find .changeset -name '*.md' ! -name README.md | wc -l)
  [ "$pending" -eq 0 ] || { echo "check-release: changeset version left $pending changeset(s) unconsumed" >&2; exit 1; }
)
echo "check-release: $pending changeset(s) valid and 'changeset version' consumes them all"
