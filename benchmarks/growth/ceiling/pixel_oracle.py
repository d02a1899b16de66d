"""An upper bound for sub-pixel methods: a per-pixel regressor (6 bands + NDVI, NDBI, MNDWI) trained on the TRUE
per-pixel built-up abundance of 2010 (bu_SEED_2010.f32 from fractions.cs), averaged per cell in 2000 / 2010 / 2020.
Run in ROOT. Usage: pixel_oracle.py SEED   (about 7 minutes per seed on 2 cores)"""
import numpy as np, sys, time
from osgeo import gdal
from sklearn.ensemble import HistGradientBoostingRegressor
seed=sys.argv[1]; years=(2000,2010,2020)
fr = np.genfromtxt(f"frac_{seed}.csv", delimiter=",", names=True)
g = gdal.Open(f"s{seed}/scene/labels_2010.tif"); gt_g = g.GetGeoTransform(); gw, gh = g.RasterXSize, g.RasterYSize
m = gdal.Open(f"s{seed}/scene/mosaic_2010.tif"); gt_m = m.GetGeoTransform(); W, H = m.RasterXSize, m.RasterYSize
xs = gt_m[0] + (np.arange(W)+.5)*gt_m[1]; ys = gt_m[3] + (np.arange(H)+.5)*gt_m[5]
cc = np.floor((xs-gt_g[0])/gt_g[1]).astype(int); rr = np.floor((ys-gt_g[3])/gt_g[5]).astype(int)
cell = np.where((rr[:,None]>=0)&(rr[:,None]<gh)&(cc[None,:]>=0)&(cc[None,:]<gw), rr[:,None]*gw+cc[None,:], -1).ravel()
def feats(y):
    b = gdal.Open(f"s{seed}/scene/mosaic_{y}.tif").ReadAsArray().reshape(6,-1).astype(np.float32)/10000
    valid = (b>0).all(0)
    eps=1e-6
    nd = lambda a,c: (a-c)/(a+c+eps)
    X = np.vstack([b, nd(b[3],b[2])[None], nd(b[4],b[3])[None], nd(b[1],b[4])[None]]).T
    return X, valid
t0=time.time()
X10, v10 = feats(2010)
bu10 = np.fromfile(f"bu_{seed}_2010.f32", np.float32)
rng = np.random.default_rng(0)
idx = rng.choice(np.flatnonzero(v10), 400000, replace=False)
model = HistGradientBoostingRegressor(max_iter=300, max_leaf_nodes=63, random_state=0).fit(X10[idx], bu10[idx])
print("fit", round(time.time()-t0), "s", flush=True)
P={}; T={}
for y in years:
    X, v = (X10, v10) if y==2010 else feats(y)
    pred = np.zeros(len(X), np.float32); pred[v] = model.predict(X[v])
    bu = np.fromfile(f"bu_{seed}_{y}.f32", np.float32)
    ok = (cell>=0)
    n = np.bincount(cell[ok], minlength=gw*gh)
    P[y] = np.bincount(cell[ok], weights=pred[ok], minlength=gw*gh)/np.maximum(n,1)
    T[y] = np.bincount(cell[ok], weights=bu[ok], minlength=gw*gh)/np.maximum(n,1)
    print(y, "pixel r2", round(1-np.var(pred[v]-bu[v])/np.var(bu[v]),3), "pixel resid sd", round(np.std(pred[v]-bu[v]),3), "| cell mean truth vs frac file max abs diff", round(np.abs(T[y]-fr[f"f{y}"]).max(),4), flush=True)
de = fr["def"]==1
F={y: fr[f"f{y}"] for y in years}
for y in years:
    b=de&(F[y]>.15)&(F[y]<.35); r=P[y][b]-F[y][b]
    print(y, "cell resid: bias", round(r.mean(),3), "sd", round(r.std(),3))
grow=(F[2000]<.25)&(F[2020]>=.25)
lab10=F[2010]>=.25
def f1(p): p=p&de; g=grow&de; tp=(p&g).sum(); return round(2*tp/(2*tp+(p&~g).sum()+(~p&g).sum()),3)
# threshold re-chosen per year to match the census year's count would be the user's recipe; here plain 0.25 and bias-corrected
for off in (0, ):
    pa=np.where(lab10, P[2000]<.25, P[2020]>=.25)
    print("per-pixel oracle: growth F1 plain", f1((P[2000]<.25)&(P[2020]>=.25)), "anchored", f1(pa))
# count-matched thresholds per year (median-free): threshold so mapped count equals true count
th={y: np.sort(P[y][de])[::-1][(F[y][de]>=.25).sum()] for y in years}
pa=np.where(lab10, P[2000]<th[2000], P[2020]>=th[2020]); print("count-matched thresholds", {y: round(float(t),3) for y,t in th.items()}, "anchored F1", f1(pa))
np.save(f"pixpred_{seed}.npy", np.stack([P[y] for y in years]))
