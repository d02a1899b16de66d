#!/usr/bin/env bash
# libdeflate (Debian's libdeflate0), which the GeoTIFF reader loads to inflate Deflate tiles (issue 21,
# docs/raster.md); without it the reader falls back to the runtime's zlib-ng. GDAL usually brings it already.
set -euo pipefail
if ! ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0'; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends libdeflate0 >/dev/null
fi
