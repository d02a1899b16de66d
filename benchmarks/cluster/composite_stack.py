#!/usr/bin/python3
"""A synthetic year of Landsat-like scenes at 30 m for timing 'urban plan composite' tasks (docs/cluster.md).

Writes DATES six-band UInt16 GeoTIFFs (DN = reflectance x 10000, nodata 0) and Collection 2 QA_PIXEL bands in
UTM 14N (EPSG:32614) around Mexico City, SIZE x SIZE pixels each: a smooth ground with per-date noise, and clouds
(with shadows) as random discs over about a third of each scene. The target grid for the composite is INEGI's
EPSG:6372, so every task reprojects, as the national run does. numpy + gdal_translate only.

usage: composite_stack.py OUT_DIR [DATES=24] [SIZE=1200]
"""
import os
import subprocess
import sys

import numpy as np

out = sys.argv[1]
dates = int(sys.argv[2]) if len(sys.argv) > 2 else 24
size = int(sys.argv[3]) if len(sys.argv) > 3 else 1200
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(2020)
x0, y0 = 470_000.0, 2_165_000.0            # UTM 14N, upper-left corner near Mexico City

yy, xx = np.mgrid[0:size, 0:size] / size
ground = np.stack([0.04 + 0.03 * b + 0.15 * (0.5 + 0.5 * np.sin(6 * xx + b) * np.cos(5 * yy - b)) for b in range(6)])
ground += rng.uniform(0, 0.05, ground.shape)


def write(path, planes, dtype):
    raw = path + ".raw"
    planes.astype(dtype).tofile(raw)
    hdr = raw[:-4] + ".hdr"                 # GDAL's ENVI driver looks for NAME.hdr beside NAME.raw
    with open(hdr, "w") as h:
        h.write(f"ENVI\nsamples = {size}\nlines = {size}\nbands = {planes.shape[0]}\nheader offset = 0\n"
                f"file type = ENVI Standard\ndata type = 12\ninterleave = bsq\nbyte order = 0\n")
    subprocess.run(["gdal_translate", "-q", "-of", "GTiff", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE",
                    "-a_srs", "EPSG:32614", "-a_ullr", str(x0), str(y0), str(x0 + 30 * size), str(y0 - 30 * size),
                    *(["-a_nodata", "0"] if planes.shape[0] > 1 else []), raw, path], check=True)
    os.remove(raw)
    os.remove(hdr)


for d in range(dates):
    cloud = np.zeros((size, size), bool)
    shadow = np.zeros((size, size), bool)
    for _ in range(rng.integers(0, 12)):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.03, 0.15)
        disc = (xx - cx) ** 2 + (yy - cy) ** 2 < r * r
        cloud |= disc
        shadow |= ((xx - cx - 0.02) ** 2 + (yy - cy - 0.03) ** 2 < r * r) & ~disc
    refl = ground + rng.normal(0, 0.01, ground.shape)
    refl[:, cloud] += 0.4
    refl[:, shadow] *= 0.5
    dn = np.clip(np.round(refl * 10000), 1, 65535)
    qa = np.where(cloud, 22280, np.where(shadow, 23888, 21824))
    write(os.path.join(out, f"date{d:02d}_SR.tif"), dn, np.uint16)
    write(os.path.join(out, f"date{d:02d}_QA.tif"), qa[None], np.uint16)
print(out, dates, "dates of", size, "x", size)
