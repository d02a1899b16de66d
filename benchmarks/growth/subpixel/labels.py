"""Per-pixel cluster labels (uint8) of every year with the centres of an existing hist npz; saves labels + cell index."""
import sys, time, numpy as np
from osgeo import gdal
exec(open(__import__("os").path.join(__import__("os").path.dirname(__file__), "hist.py")).read().split("t0 = time.time()")[0].replace("d, outp, K = sys.argv[1], sys.argv[2], int(sys.argv[3])", "d, hp, outp = sys.argv[1], sys.argv[2], sys.argv[3]"))
t0 = time.time()
Zh = np.load(hp); C, mu, sd = Zh["centres"], Zh["mu"], Zh["sd"]
A = {}; IDX = None
for y in years:
    A[y], IDX = load(y)
valid = {y: (A[y] > 0).all(0) for y in years}
qs = np.linspace(0.5, 99.5, 199); ref = A[2010]; vr = valid[2010]
for y in years:
    if y == 2010: continue
    v = valid[y]; out = np.empty_like(A[y], dtype=np.float32)
    for b in range(6):
        src = np.percentile(A[y][b][v][::7], qs); dst = np.percentile(ref[b][vr][::7], qs)
        out[b] = np.interp(A[y][b].astype(np.float32), src, dst)
    A[y] = out
A[2010] = A[2010].astype(np.float32)
cc = (C ** 2).sum(1)
labs = np.zeros((5, IDX.size), np.uint8)
for t, y in enumerate(years):
    X = feats(A[y]); A[y] = None
    for s in range(0, X.shape[1], 1 << 20):
        Z = ((X[:, s:s + (1 << 20)].T - mu) / sd).astype(np.float32)
        labs[t, s:s + (1 << 20)] = np.argmin(cc[None, :] - 2 * Z @ C.T, 1)
    labs[t][~valid[y]] = 255
    print("labels", y, time.time() - t0, flush=True)
np.savez(outp, labs=labs, idx=IDX.astype(np.int32))
