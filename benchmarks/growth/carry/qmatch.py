"""Per-band quantile matching of one year's mosaic to the census year's (valid pixels: > 0 in the band).
Usage: qmatch.py REF.tif SRC.tif OUT.tif   (1,001 quantiles; monotone piecewise-linear map; nodata 0 kept)."""
import sys, numpy as np
from osgeo import gdal
ref, src, out = sys.argv[1:4]
R = gdal.Open(ref); S = gdal.Open(src)
drv = gdal.GetDriverByName("GTiff")
O = drv.Create(out, S.RasterXSize, S.RasterYSize, S.RasterCount, gdal.GDT_UInt16,
               ["COMPRESS=DEFLATE", "PREDICTOR=2", "TILED=YES", "INTERLEAVE=PIXEL", "BIGTIFF=IF_SAFER"])
O.SetGeoTransform(S.GetGeoTransform()); O.SetProjection(S.GetProjection())
q = np.linspace(0, 1, 1001)
rng = np.random.default_rng(0)
for b in range(1, S.RasterCount + 1):
    r = R.GetRasterBand(b).ReadAsArray(); s = S.GetRasterBand(b).ReadAsArray()
    rv = r[r > 0]; sv = s[s > 0]
    rq = np.quantile(rv[::7], q); sq = np.quantile(sv[::7], q)
    sq, idx = np.unique(sq, return_index=True); rq = rq[idx]
    m = np.interp(s.astype(np.float64), sq, rq)
    res = np.where(s > 0, np.clip(np.rint(m), 1, 65535), 0).astype(np.uint16)
    ob = O.GetRasterBand(b); ob.WriteArray(res); ob.SetNoDataValue(0)
    del r, s, res, m
O.FlushCache(); O = None
print("matched", out)
