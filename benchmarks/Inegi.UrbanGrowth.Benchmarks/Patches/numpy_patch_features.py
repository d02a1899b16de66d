#!/usr/bin/env python3
"""The numpy / scipy.stats way of computing SPEC 3 (486 features per cell: 27 channels x 18 statistics over a
33 x 33 patch), on the same number and kind of synthetic patches as PatchFeatureBenchmarks, one thread.
Prints cells/s. Run with /usr/bin/python3 (Debian's, which has numpy and scipy)."""
import sys
import time

import numpy as np
import scipy.stats as st

CELLS = int(sys.argv[1]) if len(sys.argv) > 1 else 256
CHANNELS, N = 27, 33 * 33


def features(x32):
    x = x32.astype(np.float64)
    mean = x.mean()
    var = x.var()
    med = np.median(x32)
    variation = 0.0 if mean == 0 else x.std() / mean
    sk = st.skew(x)
    ku = st.kurtosis(x)
    counts = np.histogram(x32, bins=10)[0]
    ent = st.entropy(counts)
    return [mean, var, med, variation, 0.0 if np.isnan(sk) else sk, 0.0 if np.isnan(ku) else ku, ent, *counts, x32[N // 2]]


def main():
    rng = np.random.default_rng(42)
    patches = (0.05 + rng.random((CELLS, CHANNELS, N)) * 0.3).astype(np.float32)
    outliers = rng.random((CELLS, CHANNELS, N)) < 0.02
    patches[outliers] = (rng.random(outliers.sum()) * 5).astype(np.float32)
    out = np.empty((CELLS, CHANNELS * 18))
    features(patches[0, 0])  # warm-up
    start = time.perf_counter()
    for c in range(CELLS):
        row = []
        for k in range(CHANNELS):
            row.extend(features(patches[c, k]))
        out[c] = row
    elapsed = time.perf_counter() - start
    print(f"numpy/scipy.stats: {CELLS} cells x {CHANNELS * 18} features in {elapsed:.3f} s = {CELLS / elapsed:.1f} cells/s (1 thread)")


if __name__ == "__main__":
    main()
