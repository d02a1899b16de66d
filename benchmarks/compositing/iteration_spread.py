"""How long the lanes of a geomedian block wait: per-pixel Weiszfeld iteration counts (a float64 numpy replay of the
stopping rule, eps 1e-4 as geomad, not bit-exact) on the synthetic benchmark stack (synthetic_stack.cs, 16,384 pixels)
and the Harvard Forest row; prints the mean count and the mean over blocks of 8 (and 4) pixels of the block maximum.
Usage: iteration_spread.py EPS MAXIT STACK.f32 SHARED_DATA_DIR   (STACK.f32: `dotnet run synthetic_stack.cs -- 16384 STACK.f32`)
Measured 2026-12-08 with EPS 1e-4 (geomad's default) and MAXIT 10000."""
import numpy as np, sys
def counts(X, eps, maxit):  # X: (pixels, obs, bands) float64 with NaN
    valid = ~np.isnan(X).any(2)
    Xz = np.where(valid[..., None], X, 0.0)
    k = valid.sum(1)
    y = (Xz.sum(1) / np.maximum(k, 1)[:, None]).astype(np.float32).astype(np.float64)
    active = k > 0; it = np.zeros(len(X), int)
    for i in range(maxit):
        if not active.any(): break
        d = np.sqrt(((Xz - y[:, None, :]) ** 2).sum(2))
        dinv = np.where(valid, np.where(d > 0, 1 / np.where(d > 0, d, 1), 1.0), 0.0)
        w = dinv / dinv.sum(1, keepdims=True)
        t = (w[..., None] * Xz).sum(1)
        step = np.sqrt(((t - y) ** 2).sum(1))
        it += active
        y = np.where(active[:, None], t, y)
        active &= ~(step < eps)
    return it
eps = float(sys.argv[1]); maxit = int(sys.argv[2])
st = np.fromfile(sys.argv[3], np.float32).reshape(30, 6, 16384).astype(np.float64)
c = counts(np.transpose(st, (2, 0, 1)), eps, maxit)
b = c.reshape(-1, 8)
print("synthetic: mean iterations %.1f, mean of block max (8 lanes) %.1f, waste factor %.2f; 4 lanes %.2f" % (c.mean(), b.max(1).mean(), b.max(1).mean() / c.mean(), c.reshape(-1, 4).max(1).mean() / c.mean()))
z = np.load(sys.argv[4] + "/harvard-forest-landsat-row/p013r030_r50_n423_b8.npz", allow_pickle=True); Y = z["Y"]
sr = Y[:6].astype(np.float32) * np.float32(1e-4); clear = np.isin(Y[7], (0, 1)) & np.all(Y[:6] > 0, axis=0)
sr = np.where(clear[None], sr, np.nan)  # (6, 423, 300)
c = counts(np.transpose(sr, (2, 1, 0)).astype(np.float64), eps, maxit); c = c[: len(c) // 8 * 8]
b = c.reshape(-1, 8)
print("harvard: mean iterations %.1f, mean of block max %.1f, waste factor %.2f" % (c.mean(), b.max(1).mean(), b.max(1).mean() / c.mean()))
