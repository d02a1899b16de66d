"""Scores an `urban growth` output folder against the synthetic truth (labels_<year>.tif of `urban synth`).
Usage: evaluate.py SCENE_DIR OUT_DIR [PREFIX]   (PREFIX: map (default) or independent, the baseline maps).
Prints: new-urban F1 first -> last year (precision, recall), mapped / true urban cells per year, and the share of
the cells that became urban whose first urban year is exact. Cells count where every year's truth is 0 or 1."""
import sys, glob, re, numpy as np
from osgeo import gdal
scene, out = sys.argv[1], sys.argv[2]; prefix = sys.argv[3] if len(sys.argv) > 3 else "map"
years = sorted(int(re.search(r"_(\d{4})\.tif$", p).group(1)) for p in glob.glob(f"{out}/{prefix}_*.tif") if re.search(r"_(\d{4})\.tif$", p))
truth = np.stack([gdal.Open(f"{scene}/labels_{y}.tif").ReadAsArray() for y in years])
def band1(path):
    ds = gdal.Open(path)  # keep the dataset alive while its band is read (GDAL's Python bindings crash otherwise)
    return ds.GetRasterBand(1).ReadAsArray()
maps = np.stack([band1(f"{out}/{prefix}_{y}.tif") for y in years])
ev = (truth < 2).all(0) & (maps < 2).all(0)
nt = (truth[0] == 0) & (truth[-1] == 1); npred = (maps[0] == 0) & (maps[-1] == 1)
tp = (nt & npred & ev).sum(); fp = (~nt & npred & ev).sum(); fn = (nt & ~npred & ev).sum()
prec = tp / max(tp + fp, 1); rec = tp / max(tp + fn, 1); f1 = 2 * tp / max(2 * tp + fp + fn, 1)
area = [(int(((maps[t] == 1) & ev).sum()), int(((truth[t] == 1) & ev).sum())) for t in range(len(years))]
err = [m / t - 1 for m, t in area]
fy_t = np.where((truth == 1).any(0), np.argmax(truth == 1, 0), -1); fy_p = np.where((maps == 1).any(0), np.argmax(maps == 1, 0), -1)
became = ev & nt
exact = (fy_t == fy_p)[became].mean() if became.any() else float("nan")
print(f"newF1 {f1:.3f} P {prec:.3f} R {rec:.3f} (tp {tp} fp {fp} fn {fn}) | area err " + " ".join(f"{y}:{e:+.1%}" for y, e in zip(years, err))
      + f" | maxAbsAreaErr {max(abs(e) for e in err):.1%} | firstYearExact {exact:.3f} | areas " + " ".join(f"{m}/{t}" for m, t in area))
