"""Per seed (issue 19 sub-pixel probe): per-year quantile matching of each band to the census year, per-pixel features, k-means on census
pixels, per-cell cluster histograms for every year. Usage: hist.py SEEDDIR OUTNPZ K"""
import sys, time, numpy as np
from osgeo import gdal
from sklearn.cluster import MiniBatchKMeans
d, outp, K = sys.argv[1], sys.argv[2], int(sys.argv[3])
years = [2000, 2005, 2010, 2015, 2020]; c = 2
g = gdal.Open(f"{d}/scene/labels_2010.tif"); gt = g.GetGeoTransform(); W, H = g.RasterXSize, g.RasterYSize
def load(y):
    m = gdal.Open(f"{d}/scene/mosaic_{y}.tif"); mt = m.GetGeoTransform()
    a = m.ReadAsArray()
    h, w = a.shape[1:]
    xc = mt[0] + (np.arange(w) + 0.5) * 30; yc = mt[3] - (np.arange(h) + 0.5) * 30
    cx = np.floor((xc - gt[0]) / 1000).astype(int); cy = np.floor((gt[3] - yc) / 1000).astype(int)
    okx = (cx >= 0) & (cx < W); oky = (cy >= 0) & (cy < H)
    a = a[:, oky][:, :, okx].reshape(6, -1)
    idx = (cy[oky][:, None] * W + cx[okx][None, :]).ravel()
    return a, idx
def feats(a):
    x = a.astype(np.float32) / 10000
    b, gg, r, n, s1, s2 = x
    e = 1e-4
    return np.concatenate([x, ((n - r) / (n + r + e))[None], ((s1 - n) / (s1 + n + e))[None], ((gg - s1) / (gg + s1 + e))[None]])
t0 = time.time()
A = {}; IDX = None
for y in years:
    A[y], idx = load(y)
    if IDX is None: IDX = idx
    assert (IDX == idx).all()
print("loaded", time.time() - t0, flush=True)
valid = {y: (A[y] > 0).all(0) for y in years}
qs = np.linspace(0.5, 99.5, 199)
ref = A[2010]; vr = valid[2010]
for y in years:
    if y == 2010: continue
    v = valid[y]
    out = np.empty_like(A[y], dtype=np.float32)
    for b in range(6):
        src = np.percentile(A[y][b][v][::7], qs); dst = np.percentile(ref[b][vr][::7], qs)
        out[b] = np.interp(A[y][b].astype(np.float32), src, dst)
    A[y] = out
A[2010] = A[2010].astype(np.float32)
print("normalised", time.time() - t0, flush=True)
F = {y: feats(A[y]) for y in years}
del A
rng = np.random.default_rng(0)
cand = np.flatnonzero(valid[2010]); samp = rng.choice(cand, 300000, replace=False)
Xs = F[2010][:, samp].T
mu = Xs.mean(0); sd = Xs.std(0)
km = MiniBatchKMeans(K, random_state=0, batch_size=4096, n_init=3, max_iter=200).fit((Xs - mu) / sd)
C = km.cluster_centers_.astype(np.float32)
print("kmeans", time.time() - t0, flush=True)
hist = np.zeros((5, W * H, K), np.float32); cnt = np.zeros((5, W * H), np.float32)
for t, y in enumerate(years):
    X = F[y]; v = valid[y]
    lab = np.empty(X.shape[1], np.int32)
    cc = (C ** 2).sum(1)
    for s in range(0, X.shape[1], 1 << 20):
        Z = ((X[:, s:s + (1 << 20)].T - mu) / sd).astype(np.float32)
        lab[s:s + (1 << 20)] = np.argmin(cc[None, :] - 2 * Z @ C.T, 1)
    key = IDX[v] * K + lab[v]
    hist[t] = np.bincount(key, minlength=W * H * K).reshape(W * H, K)
    cnt[t] = hist[t].sum(1)
    print("assigned", y, time.time() - t0, flush=True)
np.savez_compressed(outp, hist=hist, cnt=cnt, centres=C, mu=mu, sd=sd)
