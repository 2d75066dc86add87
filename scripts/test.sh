#!/usr/bin/env bash
# Every test Cherry has: typecheck, unit tests (Node), production build, browser tests (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's 'chromium' package: run 'sudo apt-get install -y chromium' and retry." >&2
    exit 1
  fi
fi

echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit tests (Node)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/unit.json
echo "== production build"
npx vite build --logLevel warn
echo "== browser tests (Chromium)"
npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json=test-artifacts/browser.json
node scripts/testSummary.mjs test-artifacts/unit.json test-artifacts/browser.json
