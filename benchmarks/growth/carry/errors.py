"""Where the errors are: recall of true new urban (first -> last year) by kind of growth, false alarms by distance to
the previous epoch's towns.  Usage: errors.py SCENE OUT [PREFIX]"""
import sys, numpy as np
from osgeo import gdal
from scipy import ndimage as nd
scene, out = sys.argv[1], sys.argv[2]; prefix = sys.argv[3] if len(sys.argv) > 3 else "map"
Y = [2000, 2005, 2010, 2015, 2020]
T = np.stack([gdal.Open(f"{scene}/labels_{y}.tif").ReadAsArray() for y in Y])
def b1(p):
    ds = gdal.Open(p); return ds.GetRasterBand(1).ReadAsArray()
M = np.stack([b1(f"{out}/{prefix}_{y}.tif") for y in Y])
ev = (T < 2).all(0) & (M < 2).all(0)
nt = (T[0] == 0) & (T[-1] == 1) & ev; npred = (M[0] == 0) & (M[-1] == 1) & ev
fy = np.where((T == 1).any(0), np.argmax(T == 1, 0), -1)
k8 = np.ones((3, 3)); k8[1, 1] = 0
kind = np.full(T[0].shape, "", dtype=object)
for t in range(1, 5):
    nb = nd.convolve((T[t - 1] == 1).astype(int), k8, mode="constant")
    sel = nt & (fy == t)
    kind[sel & (nb == 0)] = "detached"; kind[sel & (nb >= 1) & (nb <= 4)] = "edge"; kind[sel & (nb >= 5)] = "infill"
res = []
for k in ("edge", "infill", "detached"):
    s = kind == k
    res.append(f"{k} {int((s & npred).sum())}/{int(s.sum())}")
dist = nd.distance_transform_cdt(T[2] != 1, metric="chessboard")
fa = npred & ~nt
fa_s = [f"d{lo}-{hi} {int((fa & (dist >= lo) & (dist <= hi)).sum())}" for lo, hi in ((1, 1), (2, 3), (4, 999))]
pre = fa & (T[2] == 1)  # predicted 2000 non-urban for a cell truly urban in 2000 and 2010
print("recall by kind: " + ", ".join(res) + " | false alarms: " + ", ".join(fa_s) + f" (of which 2010-urban cells called non-urban in 2000: {int(pre.sum())})")
