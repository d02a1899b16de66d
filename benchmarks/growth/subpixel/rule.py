"""Python port of SpatialGrowthRule + evaluate (same as benchmarks/growth/evaluate.py)."""
import numpy as np
years = [2000, 2005, 2010, 2015, 2020]
def pava_all(S):
    # S: T,N -> non-decreasing fit per column (no NaN)
    T, N = S.shape; out = np.empty_like(S)
    for i in range(N):
        blocks = []
        for x in S[:, i]:
            blocks.append([x, 1])
            while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
                a = blocks.pop(); blocks[-1][0] += a[0]; blocks[-1][1] += a[1]
        out[:, i] = [b[0] / b[1] for b in blocks for _ in range(b[1])]
    return out
def touches(state, val, W, H):
    s = (state == val).reshape(H, W); p = np.pad(s, 1)
    r = np.zeros_like(s)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx: r |= p[1 + dy:1 + dy + H, 1 + dx:1 + dx + W]
    return r.ravel()
def decide(S, L, W, H, c=2, tol=0.5, detached=3.0, passes=3, monotone=True, thr=None):
    bad = np.isnan(S).any(0)
    S = np.where(bad, -50.0, S)
    S = pava_all(S) if monotone else S.copy()
    T, N = S.shape
    if thr is None:
        k = int((L == 1).sum()); thr = np.sort(S[c][L < 2])[::-1][k - 1]
    cls = (S >= thr).astype(np.uint8); cls[c] = np.where(L < 2, L, cls[c])
    state = L.copy()
    for t in range(c + 1, T):
        nxt = state.copy()
        for _ in range(passes):
            frm = nxt.copy()
            cand = (frm == 0) & (S[t] >= thr) & ((S[t] >= thr + detached) | touches(frm, 1, W, H))
            if not cand.any(): break
            nxt[cand] = 1
        cls[t] = np.where(L < 2, nxt, cls[t]); state = nxt
    state = L.copy()
    for t in range(c - 1, -1, -1):
        nxt = state.copy()
        m = (state == 1) & (S[t] < thr - tol) & touches(state, 0, W, H)
        nxt[m] = 0
        cls[t] = np.where(L < 2, nxt, cls[t]); state = nxt
    cls[:, bad] = 255
    return cls
def evaluate(name, maps, truth, quiet=False):
    ev = (truth < 2).all(0) & (maps < 2).all(0)
    nt = (truth[0] == 0) & (truth[-1] == 1); npd = (maps[0] == 0) & (maps[-1] == 1)
    tp = (nt & npd & ev).sum(); fp = (~nt & npd & ev).sum(); fn = (nt & ~npd & ev).sum()
    f1 = 2 * tp / max(2 * tp + fp + fn, 1)
    err = [((maps[t] == 1) & ev).sum() / max(((truth[t] == 1) & ev).sum(), 1) - 1 for t in range(len(maps))]
    fyt = np.where((truth == 1).any(0), np.argmax(truth == 1, 0), -1); fyp = np.where((maps == 1).any(0), np.argmax(maps == 1, 0), -1)
    became = ev & nt; ex = (fyt == fyp)[became].mean()
    wa = max(abs(e) for e in err)
    if not quiet:
        print(f"{name:40s} F1 {f1:.3f} (tp {tp} fp {fp} fn {fn}) area " + " ".join(f"{e:+.1%}" for e in err) + f" worst {wa:.1%} first {ex:.3f}", flush=True)
    return f1, wa, ex
