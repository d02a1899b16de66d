"""Per-pixel temporal filters of the cluster built-up weight (min over later years, max over earlier years),
averaged per cell, through rule.py. Usage: pixtime.py SEEDDIR HIST.npz LABELS.npz (labels.py)"""
import sys, numpy as np
from osgeo import gdal
from sklearn.linear_model import LogisticRegression
sys.path.insert(0, __import__("os").path.dirname(__file__)); from rule import *
d, hp, lp = sys.argv[1], sys.argv[2], sys.argv[3]
Z = np.load(hp); hist, cnt = Z["hist"], Z["cnt"]; K = hist.shape[2]
Lz = np.load(lp); labs, idx = Lz["labs"], Lz["idx"]
def rd(p, b=1):
    ds = gdal.Open(p); return ds.GetRasterBand(b).ReadAsArray()
truth = np.stack([rd(f"{d}/scene/labels_{y}.tif").ravel() for y in years]).astype(np.uint8)
H, W = rd(f"{d}/scene/labels_2010.tif").shape; L = truth[2]; N = W * H
P = np.stack([rd(f"{d}/growth-model/independent_{y}.tif", 2).ravel().astype(float) for y in years]); P[P > 100] = np.nan
Sm = np.log((P + 0.5) / (100.5 - P)); Sm -= np.nanmedian(Sm - Sm[2], 1)[:, None]
sh = hist / np.maximum(cnt[..., None], 1); bad = (cnt < 900).any(0) | np.isnan(Sm).any(0)
tr = (L < 2) & ~bad; ev = (truth < 2).all(0) & ~bad
after = ev & (L == 0); grew = truth[4] == 1; before = ev & (L == 1); was = truth[0] == 0
def topk(s, m, pos):
    k = int((pos & m).sum()); ii = np.flatnonzero(m); top = ii[np.argsort(-s[ii], kind="stable")[:k]]
    return pos[top].mean()
lr = LogisticRegression(C=10, max_iter=5000).fit(sh[2][tr], L[tr])
w = np.append(lr.coef_[0], 0.0).astype(np.float32)  # 255 (nodata) -> index K? map below
lab = np.where(labs == 255, K, labs).astype(np.int32)
G = w[lab]  # 5 x npix
okpix = (labs != 255).all(0)
def cellmean(V):
    return np.stack([np.bincount(idx[okpix], V[t][okpix], minlength=N) / np.maximum(np.bincount(idx[okpix], minlength=N), 1) for t in range(5)])
def run(name, S):
    S = S - np.nanmedian(S - S[2], 1)[:, None]
    a = topk(np.where(bad, -50, S[4]), after, grew); b = topk(np.where(bad, -50, -S[0]), before, was)
    S2 = S.copy(); S2[:, bad] = np.nan
    print(f"  top-k after {a:.3f} before {b:.3f}")
    evaluate(name, decide(S2, L, W, H), truth)
    return S
base = cellmean(G); run("pixel mean (= hist lr)", base)
fut = np.minimum.accumulate(G[::-1], 0)[::-1]; run("pixel min over future", cellmean(fut))
past = np.maximum.accumulate(G, 0); run("pixel max over past", cellmean(past))
mid = 0.5 * (fut + past); run("pixel (min future + max past)/2", cellmean(mid))
Sf = cellmean(fut)
for a in [0.25, 0.5, 1.0]:
    run(f"model + {a} * pixel min-future", Sm + a * (Sf - np.nanmedian(Sf - Sf[2], 1)[:, None]))
