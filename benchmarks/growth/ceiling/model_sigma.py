"""How precisely the model's yearly p(urban) measures the built-up fraction: an isotonic fit of the truth fraction
on the logit of band 2 of independent_<year>.tif (run-seeds.sh), residual sd over cells with fraction in (0.15, 0.35).
Run in ROOT (frac_SEED.csv, sSEED/growth-model/). Usage: model_sigma.py SEED..."""
import numpy as np, sys
from osgeo import gdal
from sklearn.isotonic import IsotonicRegression
years=(2000,2005,2010,2015,2020)
for seed in sys.argv[1:]:
    d = np.genfromtxt(f"frac_{seed}.csv", delimiter=",", names=True)
    F = np.stack([d[f"f{y}"] for y in years])
    out=[]
    for t,y in enumerate(years):
        ds=gdal.Open(f"s{seed}/growth-model/independent_{y}.tif"); p=ds.GetRasterBand(2).ReadAsArray().ravel().astype(float)
        ok=(p<=100)&(d["def"]==1)
        s=np.log((p+.5)/(100.5-p))
        f=F[t]
        iso=IsotonicRegression(out_of_bounds="clip").fit(s[ok],f[ok])
        band=ok&(f>.15)&(f<.35)
        r=(iso.predict(s[band])-f[band])
        # same year: ranking accuracy near threshold
        out.append(f"{y}: resid sd {r.std():.3f} (n {band.sum()})")
    print(seed, " | ".join(out))
