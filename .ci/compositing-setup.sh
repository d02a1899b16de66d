#!/usr/bin/env bash
# The Compositing tests compile Geoscience Australia's geomad (Cython) as their oracle: cython3, python3-dev and gcc.
set -euo pipefail
if ! command -v cython3 >/dev/null 2>&1 || ! command -v python3-config >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
  echo "Installing the geomad oracle's build tools (cython3, python3-dev, gcc)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends cython3 python3-dev gcc >/dev/null
fi
