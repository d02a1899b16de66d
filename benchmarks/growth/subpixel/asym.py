"""Histogram gradient-boosting evidence added to the pre-census years only. Usage: asym.py SEEDDIR HIST.npz"""
import sys
exec(open(__import__("os").path.join(__import__("os").path.dirname(__file__), "combo.py")).read().split('run("model", Sm)')[0])
lr = LogisticRegression(C=10, max_iter=5000).fit(sh[2][tr], L[tr])
gb = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(sh[2][tr], L[tr])
Sg = np.stack([gb.decision_function(sh[t]) for t in range(5)]); Sg -= np.nanmedian(Sg - Sg[2], 1)[:, None]
run("model", Sm)
for a in [0.25, 0.5, 1.0]:
    S = Sm.copy(); S[:2] = Sm[:2] + a * (Sg[:2] - Sg[2]); run(f"model, pre-census + {a} x (gb_t - gb_census)", S)
