"""Oracle probe: F1 of the top-k cells (k = the true count) by each score, after the census (2020) and before it
(2000), as in docs/growth.md. Usage: oracle.py SEEDDIR HIST.npz"""
import sys, numpy as np
from osgeo import gdal
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
sys.path.insert(0, __import__("os").path.dirname(__file__)); from rule import *
d, hp = sys.argv[1], sys.argv[2]
Z = np.load(hp); hist, cnt = Z["hist"], Z["cnt"]
def rd(p, b=1):
    ds = gdal.Open(p); return ds.GetRasterBand(b).ReadAsArray()
truth = np.stack([rd(f"{d}/scene/labels_{y}.tif").ravel() for y in years]).astype(np.uint8)
H, W = rd(f"{d}/scene/labels_2010.tif").shape; L = truth[2]
P = np.stack([rd(f"{d}/growth-model/independent_{y}.tif", 2).ravel().astype(float) for y in years]); P[P > 100] = np.nan
Sm = np.log((P + 0.5) / (100.5 - P)); Sm -= np.nanmedian(Sm - Sm[2], 1)[:, None]
sh = hist / np.maximum(cnt[..., None], 1); bad = (cnt < 900).any(0) | np.isnan(Sm).any(0)
tr = (L < 2) & ~bad
ev = (truth < 2).all(0) & ~bad
after = ev & (L == 0); grew = truth[4] == 1
before = ev & (L == 1); was = truth[0] == 0
def topk(s, m, pos):
    k = int((pos & m).sum()); idx = np.flatnonzero(m); top = idx[np.argsort(-s[idx], kind="stable")[:k]]
    return pos[top].mean()
def report(name, S):
    S = np.where(np.isnan(S), -50, S)
    a = topk(S[4], after, grew); b = topk(-S[0], before, was)
    a2 = topk(S[4] - S[2], after, grew)
    print(f"{name:36s} after top-k F1 {a:.3f}  after (s2020-s2010) {a2:.3f}  before {b:.3f}", flush=True)
    return S
report("model", Sm)
res = {}
for tf, X in [("shares", sh), ("sqrt shares", np.sqrt(sh))]:
    for C in [1, 10, 100]:
        lr = LogisticRegression(C=C, max_iter=5000).fit(X[2][tr], L[tr])
        S = np.stack([lr.decision_function(X[t]) for t in range(5)]); S -= np.nanmedian(S - S[2], 1)[:, None]
        report(f"hist {tf} C={C}", S); res[(tf, C)] = S
gb = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(sh[2][tr], L[tr])
S = np.stack([gb.decision_function(sh[t]) for t in range(5)]); S -= np.nanmedian(S - S[2], 1)[:, None]
report("hist GB", S)
