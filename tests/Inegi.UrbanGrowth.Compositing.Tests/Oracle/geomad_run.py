"""Runs geomad on one stack file. argv: GEOMAD_PARENT_DIR STACK.f32 N BANDS PIXELS OUT_PREFIX
The stack is float32 [obs][band][pixel] with NaN for masked values; an observation with a masked band is masked whole.
Writes OUT_PREFIX.gm.f32 ([band][pixel]) and OUT_PREFIX.emad.f32 / .smad.f32 / .bcmad.f32 ([pixel])."""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import geomad  # noqa: E402

n, bands, pixels = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
st = np.fromfile(sys.argv[2], dtype=np.float32).reshape(n, bands, pixels)
st = np.where(np.isnan(st).any(axis=1, keepdims=True), np.float32(np.nan), st)
x = np.ascontiguousarray(np.transpose(st, (2, 1, 0))[:, None, :, :])
gm = geomad.nangeomedian_pcm(x, num_threads=1)
np.ascontiguousarray(gm[:, 0, :].T, dtype=np.float32).tofile(sys.argv[6] + ".gm.f32")
for name, f in (("emad", geomad.emad_pcm), ("smad", geomad.smad_pcm), ("bcmad", geomad.bcmad_pcm)):
    np.ascontiguousarray(f(x, gm, num_threads=1)[:, 0], dtype=np.float32).tofile(sys.argv[6] + "." + name + ".f32")
