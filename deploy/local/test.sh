#!/usr/bin/env bash
# Runs every check CI runs: lint, type-check (tests included) and all tests against real NATS and
# Postgres (NATS_URL/DATABASE_URL when set, else processes the test kit starts and removes).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
say "lint"
pnpm --silent lint
say "type-check"
pnpm --silent typecheck
say "tests"
pnpm --silent test "$@"
