#!/usr/bin/env bash
# CI for the Node client, run from the repository root after `mvn verify` built the packaged Lethe: installs the
# locked packages, type-checks, and runs the tests against the local PostgreSQL and Redis and that Lethe.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export LETHE_JAR="${LETHE_JAR:-$PWD/../../target/quarkus-app/quarkus-run.jar}"

if [[ ! -f "$LETHE_JAR" ]]; then
  echo "clients/node/ci.sh: no Lethe jar at $LETHE_JAR; build it first (mvn verify, or mvn -q -B -ntp package -DskipTests)" >&2
  exit 1
fi
# Prisma 7 needs Node 20.19 or later.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "clients/node/ci.sh: Node $(node --version) is too old; Prisma 7 needs 20.19 or later" >&2
  exit 1
fi

step() {
  local started=$SECONDS
  echo "== clients/node: $*"
  "$@"
  echo "== clients/node: $* took $((SECONDS - started)) s"
}

step npm ci --no-audit --no-fund --prefer-offline
step npm run typecheck
step npm test
