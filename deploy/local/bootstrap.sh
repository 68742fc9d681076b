#!/usr/bin/env bash
# Shared by up.sh and test.sh: makes a fresh machine able to build and run Reserve It.
# Idempotent; each step says what it does and what to do when it cannot.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PNPM_VERSION=10.34.9
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || fail "Node.js 20.19+ is required (https://nodejs.org or your OS packages)."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "Node.js $(node --version) is too old: 20.19 or newer is required."

if ! command -v pnpm >/dev/null; then
  say "installing pnpm ${PNPM_VERSION} from the npm registry"
  npm install --global "pnpm@${PNPM_VERSION}" >/dev/null || fail "could not install pnpm; run: npm install -g pnpm@${PNPM_VERSION}"
fi

if [ -z "${NATS_URL:-}" ] && ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing nats-server from Debian's packages (no NATS_URL given)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
  else
    fail "nats-server is missing: install it (Debian: sudo apt-get install nats-server) or set NATS_URL."
  fi
fi

say "installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
say "building"
pnpm --silent build
