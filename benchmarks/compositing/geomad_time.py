"""Times geomad's nangeomedian_pcm (one thread) on the stack GeomedianRealStackBenchmarks uses.

Harvard Forest row 50 (shared/data/harvard-forest-landsat-row): 423 dates x 300 pixels, Fmask 0/1 kept, reflectance
<= 0 dropped, scaled by 1e-4 to float32, observations masked whole; shape (pixels, 1, bands, dates) so that every
pixel starts from its mean, as the library does. Prints the median, min and max of SERIES x CALLS wall-clock calls in
milliseconds, and the same in process CPU time.

argv: GEOMAD_PARENT_DIR SHARED_DATA_DIR [SERIES=7] [CALLS=7] [RAW_STACK PIXELS]
RAW_STACK: a file of synthetic_stack.cs (GeomedianBenchmarks' 30-date stack, [obs][band][pixel] float32) timed instead
of the Harvard Forest row.
(the tests build geomad under /tmp/urbangrowth-geomad-*/; run with /usr/bin/python3)
"""
import os
import sys
import time

import numpy as np

geomad_dir, shared = sys.argv[1], sys.argv[2]
series = int(sys.argv[3]) if len(sys.argv) > 3 else 7
calls = int(sys.argv[4]) if len(sys.argv) > 4 else 7
sys.path.insert(0, geomad_dir)
import geomad  # noqa: E402

if len(sys.argv) > 6:
    pixels = int(sys.argv[6])
    stack = np.fromfile(sys.argv[5], dtype=np.float32).reshape(30, 6, pixels)  # (dates, bands, pixels), NaN masked
    x = np.ascontiguousarray(np.transpose(stack, (2, 1, 0))[:, None, :, :])  # (pixels, 1, 6, 30)
else:
    z = np.load(os.path.join(shared, "harvard-forest-landsat-row", "p013r030_r50_n423_b8.npz"), allow_pickle=True)
    Y = z["Y"]
    sr = Y[:6].astype(np.float32) * np.float32(1e-4)
    clear = np.isin(Y[7], (0, 1)) & np.all(Y[:6] > 0, axis=0)
    sr = np.where(clear[None], sr, np.nan).transpose(1, 0, 2)  # (423, 6, 300)
    x = np.ascontiguousarray(np.transpose(sr, (2, 1, 0))[:, None, :, :])  # (300, 1, 6, 423)
geomad.nangeomedian_pcm(x, num_threads=1)  # warm-up
for s in range(series):
    wall, cpu = [], []
    for _ in range(calls):
        w0, c0 = time.perf_counter(), time.process_time()
        geomad.nangeomedian_pcm(x, num_threads=1)
        wall.append((time.perf_counter() - w0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    print("series %d: wall ms median %.2f (min %.2f, max %.2f); cpu ms median %.2f" % (
        s + 1, np.median(wall), min(wall), max(wall), np.median(cpu)))
