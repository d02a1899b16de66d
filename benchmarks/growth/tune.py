"""Replays the growth rule (docs/growth.md) in numpy on the score rasters of `urban growth --keep-scores`, to try
margins and variants quickly. Usage: tune.py SCENE_DIR OUT_DIR [CENSUS_YEAR]"""
import sys, numpy as np
from osgeo import gdal
from scipy.stats import norm
scene, out = sys.argv[1], sys.argv[2]; years = [2000, 2005, 2010, 2015, 2020]
c = years.index(int(sys.argv[3]) if len(sys.argv) > 3 else 2010)
def read(p):
    ds = gdal.Open(p); return ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
S = np.stack([read(f"{out}/score_{y}.tif").ravel() for y in years])
truth = np.stack([read(f"{scene}/labels_{y}.tif").ravel() for y in years]).astype(int)
L = truth[c]
off = np.array([np.nanmedian(S[t] - S[c]) if t != c else 0 for t in range(5)])
sig = np.array([1.4826 * np.nanmedian(np.abs(S[t] - S[c] - off[t])) if t != c else 1 for t in range(5)])
S = S - off[:, None]
def pava(y):
    ok = ~np.isnan(y); v = list(y[ok]); w = [1] * len(v); i = 0
    blocks = []
    for x in v:
        blocks.append([x, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            a = blocks.pop(); blocks[-1][0] += a[0]; blocks[-1][1] += a[1]
    f = [b[0] / b[1] for b in blocks for _ in range(b[1])]
    r = np.full_like(y, np.nan); r[ok] = f; return r
M = np.stack([pava(S[:, i]) for i in range(S.shape[1])], 1)
def evaluate(name, P):
    cls = np.where(np.isnan(P), 255, (P >= 0.5).astype(int))
    ev = (truth < 2).all(0) & (cls < 2).all(0)
    nt = (truth[0] == 0) & (truth[-1] == 1); npd = (cls[0] == 0) & (cls[-1] == 1)
    tp = (nt & npd & ev).sum(); fp = (~nt & npd & ev).sum(); fn = (nt & ~npd & ev).sum()
    f1 = 2 * tp / max(2 * tp + fp + fn, 1)
    err = [((cls[t] == 1) & ev).sum() / max(((truth[t] == 1) & ev).sum(), 1) - 1 for t in range(5)]
    fyt = np.argmax(truth == 1, 0); fyp = np.argmax(cls == 1, 0); became = ev & nt
    ex = (fyt == fyp)[became].mean()
    print(f"{name:28s} F1 {f1:.3f} (tp {tp} fp {fp} fn {fn}) area " + " ".join(f"{e:+.1%}" for e in err) + f" first {ex:.3f}")
print("offsets", np.round(off, 3), "noise", np.round(sig, 3))
lg = 1 / (1 + np.exp(-M))
evaluate("independent (isotonic, no anchor)", lg)
evaluate("independent raw", 1 / (1 + np.exp(-S)))
for margin in [0, 0.5, 1, 1.5, 2, 2.5, 3]:
    P = np.empty_like(M)
    ref = M[c]
    for t in range(5):
        z = (M[t] - ref) / sig[t]
        if t == c: P[t] = np.where(L < 2, L, lg[t])
        elif t < c: P[t] = np.where(L == 1, 1 - (1 - lg[t]) * norm.cdf(-z - margin), np.where(L == 0, 0, lg[t]))
        else: P[t] = np.where(L == 0, lg[t] * norm.cdf(z - margin), np.where(L == 1, 1, lg[t]))
    evaluate(f"anchored margin {margin}", P)
