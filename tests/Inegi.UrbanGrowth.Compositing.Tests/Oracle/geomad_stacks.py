"""Builds the test stacks (real and synthetic) and runs geomad on them.

argv: OUT_DIR GEOMAD_PARENT_DIR SHARED_DATA_DIR
Writes, per stack NAME: NAME.stack.f32 (float32, [obs][band][pixel], NaN = masked), NAME.gm.f32 ([band][pixel]),
NAME.emad.f32 / NAME.smad.f32 / NAME.bcmad.f32 ([pixel]); prints a JSON list of {name, n, bands, pixels} to stdout.
geomad is called with shape (pixels, 1, bands, n) so that every pixel is the first of its row and starts from its
mean (geomad starts the others from the zero vector; see docs/compositing.md).
"""
import datetime
import json
import os
import sys

import numpy as np

out, geomad_dir, shared = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, geomad_dir)
import geomad  # noqa: E402

stacks = []


def emit(name, stack):
    """stack: float32 (n, bands, pixels) with NaN for masked observations."""
    stack = np.ascontiguousarray(stack, dtype=np.float32)
    n, bands, pixels = stack.shape
    # The library uses an observation only where all its bands are valid; geomad's start (a per-band nanmean) would
    # use the valid bands of a partly masked one, so geomad gets the observation masked whole.
    whole = np.where(np.isnan(stack).any(axis=1, keepdims=True), np.float32(np.nan), stack)
    x = np.ascontiguousarray(np.transpose(whole, (2, 1, 0))[:, None, :, :])  # (pixels, 1, bands, n)
    gm = geomad.nangeomedian_pcm(x, num_threads=1)
    emad = geomad.emad_pcm(x, gm, num_threads=1)
    smad = geomad.smad_pcm(x, gm, num_threads=1)
    bcmad = geomad.bcmad_pcm(x, gm, num_threads=1)
    stack.tofile(os.path.join(out, name + ".stack.f32"))
    np.ascontiguousarray(gm[:, 0, :].T, dtype=np.float32).tofile(os.path.join(out, name + ".gm.f32"))
    for k, v in (("emad", emad), ("smad", smad), ("bcmad", bcmad)):
        np.ascontiguousarray(v[:, 0], dtype=np.float32).tofile(os.path.join(out, name + "." + k + ".f32"))
    stacks.append({"name": name, "n": n, "bands": bands, "pixels": pixels})


# Harvard Forest row 50: int16 SR x 10000, Fmask band 7 (0 clear land, 1 water kept; shadow, snow, cloud, fill dropped),
# reflectance <= 0 dropped, as the library's default mask.
z = np.load(os.path.join(shared, "harvard-forest-landsat-row", "p013r030_r50_n423_b8.npz"), allow_pickle=True)
Y, dates = z["Y"], z["dates"]
sr = Y[:6].astype(np.float32) * np.float32(1e-4)  # (6, 423, 300)
clear = np.isin(Y[7], (0, 1)) & np.all(Y[:6] > 0, axis=0)
sr = np.where(clear[None], sr, np.nan).transpose(1, 0, 2)  # (423, 6, 300)
emit("harvard_all", sr)
years = np.array([datetime.date.fromordinal(int(d)).year for d in dates])
for year in (1995, 2000, 2010):
    emit("harvard_%d" % year, sr[years == year])
# Every acquisition, clouds and all: the hard case where the median has to resist outliers.
emit("harvard_unmasked_2000", (Y[:6].astype(np.float32) * np.float32(1e-4)).transpose(1, 0, 2)[years == 2000])

# pyccd pixel series (CFmask 0 clear, 1 water kept): four pixels, each its own length, padded with masked observations.
names = ["sample_2.csv", "sample_WA_grid08_row12_col2265_fmask_fail.csv",
         "sample_WA_grid08_row999_col1_normal.csv", "sample_WA_grid08_row9_col2267_persistent_snow.csv"]
series = [np.loadtxt(os.path.join(shared, "pyccd-pixel-timeseries", f), delimiter=",") for f in names]
n = max(len(s) for s in series)
for masked in (True, False):
    st = np.full((n, 6, len(series)), np.nan, dtype=np.float32)
    for p, s in enumerate(series):
        v = s[:, 1:7].astype(np.float32) * np.float32(1e-4)
        keep = np.all(s[:, 1:7] > 0, axis=1)
        if masked:
            keep &= np.isin(s[:, 8], (0, 1))
        st[: len(s), :, p] = np.where(keep[:, None], v, np.nan)
    emit("pyccd_" + ("clear" if masked else "all"), st)

# Synthetic: mixtures with outliers, quantised reflectance (ties and observations on the estimate), duplicated
# observations, pixels with 0, 1 and 2 observations, partial masks.
rng = np.random.default_rng(20)
n, pixels = 37, 1089
base = rng.uniform(0.01, 0.5, size=(1, 6, pixels)).astype(np.float32)
noise = rng.normal(0, 0.02, size=(n, 6, pixels)).astype(np.float32)
st = base + noise
clouds = rng.random((n, 1, pixels)) < 0.2
st = np.where(clouds, st + np.float32(0.4), st)
st = np.round(st * 10000) / np.float32(10000)
st = st.astype(np.float32)
st[:, :, 0] = np.nan                 # no observation
st[1:, :, 1] = np.nan                # one
st[2:, :, 2] = np.nan                # two
st[:, :, 3] = st[0, :, 3]            # all identical
st[: n // 2, :, 4] = st[0, :, 4]     # half identical
mask = rng.random((n, 1, pixels)) < 0.3
st = np.where(mask, np.nan, st).astype(np.float32)
st[5, 2, 10:40] = np.nan             # one band masked: the observation is dropped whole
st[:, :, 0] = np.nan
emit("synthetic_mixed", st)
small = np.round(rng.uniform(0.05, 0.06, size=(9, 4, 7)) * 1000) / 1000  # few distinct values: many zero distances
emit("synthetic_ties", small.astype(np.float32))

print(json.dumps(stacks))
