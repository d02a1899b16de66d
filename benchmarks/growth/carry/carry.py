"""Issue 19 label-carrying probe (benchmarks/growth/carry/run.sh). Builds the carried-label cell lists of one prepared seed.
Usage: carry.py DIR   (DIR/sample.csv, DIR/scene/labels_2010.tif). Writes DIR/cells_{u,n,nfar,ucore}.csv."""
import sys, csv, numpy as np
from osgeo import gdal
from scipy import ndimage as nd
d = sys.argv[1]
L = gdal.Open(f"{d}/scene/labels_2010.tif").ReadAsArray()
u = L == 1
dist = nd.distance_transform_cdt(~u, metric="chessboard")
core = u & (nd.minimum_filter(u.astype(np.uint8), size=3) == 1)
rows = list(csv.DictReader(open(f"{d}/sample.csv")))
hdr = list(rows[0].keys())
def write(name, sel):
    with open(f"{d}/cells_{name}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, hdr, lineterminator="\n"); w.writeheader(); w.writerows(sel)
    print(name, len(sel))
write("u", [r for r in rows if r["label"] == "1"])
write("n", [r for r in rows if r["label"] == "0"])
write("nfar", [r for r in rows if r["label"] == "0" and dist[int(r["row"]), int(r["col"])] >= 2])
write("ucore", [r for r in rows if r["label"] == "1" and core[int(r["row"]), int(r["col"])]])
