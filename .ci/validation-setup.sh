#!/usr/bin/env bash
# The browser test of the photo-interpreters' app (tests/Inegi.UrbanGrowth.Validation.Tests/BrowserTests.cs) drives
# Debian's headless Chromium through the system chromedriver (docs/validation.md). Installs them when missing.
# No service is started: each test starts its own server on a free 127.0.0.1 port and kills it at the end.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
echo "Installing chromium and chromium-driver for the validation app's browser test..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
