#!/usr/bin/env bash
# The ARD (Canberra) and overview tests read rasters and GDAL's overviews from Python: Debian's python3-gdal (GDAL's
# own bindings, matching gdal-bin). Installed only when missing.
set -euo pipefail
if ! /usr/bin/python3 -c 'from osgeo import gdal' >/dev/null 2>&1; then
  echo "Installing python3-gdal (ARD and overview test oracles)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-gdal >/dev/null
fi
