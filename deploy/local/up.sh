#!/usr/bin/env bash
# Starts the whole local stack: NATS (unless NATS_URL), Postgres (unless DATABASE_URL) and every
# service in deploy/local/stack.json, then prints where everything listens. Ctrl-C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec node libs/localstack/dist/cli.js up "$@"
