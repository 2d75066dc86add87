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

# The independent references the unit tests compare against: NumPy (model forward) and jinja2 (chat templates).
if ! python3 -c 'import numpy, jinja2' >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian python3-numpy and python3-jinja2 for the reference checks"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy python3-jinja2 >/dev/null
  else
    echo "The unit tests need python3 with numpy and jinja2: run 'sudo apt-get install -y python3-numpy python3-jinja2' and retry." >&2
    exit 1
  fi
fi

echo "== format (npm run format fixes it)"
npx prettier --check --log-level warn '{src,test,scripts,test-pages}/**/*.{ts,tsx,mjs,css}' '*.config.ts'
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit tests (Node)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/unit.json
echo "== production build"
npx vite build --logLevel warn
echo "== browser tests (Chromium)"
npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json=test-artifacts/browser.json
node scripts/testSummary.mjs test-artifacts/unit.json test-artifacts/browser.json
