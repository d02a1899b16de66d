"""Seed replay (issue 19, sub-pixel lead): the model score, local normalisation and the model plus a
cluster-histogram score (logistic or gradient boosting on the census year) through the python port of
SpatialGrowthRule (rule.py). Usage: combo.py SEEDDIR HIST.npz (hist.py; SEEDDIR from prepare.sh + run-seeds.sh)."""
import sys, numpy as np
from osgeo import gdal
from scipy.ndimage import median_filter, generic_filter
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
def run(name, S):
    S = S.copy(); S[:, bad] = np.nan
    return evaluate(name, decide(S, L, W, H), truth)
def local(S, size):
    S = S.copy()
    for t in range(5):
        if t == 2: continue
        D = np.where(bad, np.nan, S[t] - S[2]).reshape(H, W)
        D = np.where(np.isnan(D), np.nanmedian(D), D)
        S[t] -= median_filter(D, size=size, mode="nearest").ravel()
    return S
run("model", Sm)
for s in [5, 9, 15]: run(f"model local {s}", local(Sm, s))
lr = LogisticRegression(C=10, max_iter=5000).fit(sh[2][tr], L[tr])
Sh = np.stack([lr.decision_function(sh[t]) for t in range(5)]); Sh -= np.nanmedian(Sh - Sh[2], 1)[:, None]
gb = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(sh[2][tr], L[tr])
Sg = np.stack([gb.decision_function(sh[t]) for t in range(5)]); Sg -= np.nanmedian(Sg - Sg[2], 1)[:, None]
for a in [0.25, 0.5]:
    run(f"model + {a} hist lr", Sm + a * Sh)
    run(f"model + {a} hist gb", Sm + a * Sg)
    run(f"model + {a} hist lr local 9", local(Sm + a * Sh, 9))
run("hist gb", Sg)
run("hist gb local 9", local(Sg, 9))
