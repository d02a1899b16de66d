"""Replays the stage's decision rule (python port, benchmarks/growth/subpixel/rule.py) on the yearly p(urban) of an
`urban growth --model` run (band 2 of independent_<year>.tif), for other detached-growth bars and pre-census
tolerances.  Usage: replay.py SCENE OUT"""
import sys, numpy as np
from osgeo import gdal
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "subpixel"))
import rule
scene, out = sys.argv[1:3]; Y = rule.years; c = 2
def band(p, b):
    ds = gdal.Open(p); return ds.GetRasterBand(b).ReadAsArray()
P = np.stack([band(f"{out}/independent_{y}.tif", 2).ravel().astype(float) for y in Y])
H, W = band(f"{scene}/labels_2010.tif", 1).shape
S = np.where(P > 100, np.nan, np.log((P + 0.5) / (100.5 - P)))
for t in range(5):
    if t != c: S[t] -= np.nanmedian(S[t] - S[c])
L = band(f"{scene}/labels_2010.tif", 1).ravel()
truth = np.stack([band(f"{scene}/labels_{y}.tif", 1).ravel() for y in Y])
for det in (3.0, 1.0, 0.0):
    for tol in (0.0, 0.25, 0.5):
        rule.evaluate(f"detached {det} tol {tol}", rule.decide(S, L, W, H, tol=tol, detached=det), truth)
