#!/usr/bin/env bash
# Runs every check CI runs: lint, type-check (tests included) and all tests against real NATS and
# Postgres (NATS_URL/DATABASE_URL when set, else processes the test kit starts and removes).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# The console's browser tests drive Debian's Chromium (CHROMIUM_PATH points at another build).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium from Debian's packages (the console's browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    fail "chromium is missing: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH."
  fi
fi
say "lint"
pnpm --silent lint
say "type-check"
pnpm --silent typecheck
say "tests"
pnpm --silent test "$@"
