"""An upper bound for any model on the 486 patch features: regressors trained on the TRUE built-up fraction (which
users never have) of 2010, on the user's sample or on half of all cells, applied to 2000 / 2010 / 2020; and the same
with two years' features side by side. Run in ROOT with frac_SEED.csv and sSEED/all_<year>.csv (`urban features`
without --cells, on the 2010 grid). Usage: feature_oracle.py SEED"""
import numpy as np, sys
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor
seed=sys.argv[1]
years=(2000,2010,2020)
fr = np.genfromtxt(f"frac_{seed}.csv", delimiter=",", names=True)
def load(p):
    a=np.loadtxt(p, delimiter=",", skiprows=1, dtype=np.float64, usecols=[0,1,2,2]+list(range(4,490)))
    return {int(r[0]): i for i, r in enumerate(a)}, a
A={y: load(f"s{seed}/all_{y}.csv") for y in years}
ids = set(A[2000][0]) & set(A[2010][0]) & set(A[2020][0])
ids = np.array(sorted(i for i in ids if fr["def"][i]==1))
X={y: A[y][1][[A[y][0][i] for i in ids], 4:].astype(np.float32) for y in years}
F={y: fr[f"f{y}"][ids] for y in years}
sample = np.loadtxt(f"s{seed}/sample.csv", delimiter=",", skiprows=1, dtype=int)[:,0]
tr = np.isin(ids, sample)
grow = (F[2000]<.25)&(F[2020]>=.25)
print("cells", len(ids), "train", tr.sum(), "grow", grow.sum(), flush=True)
def ev(name, model, trmask):
    model.fit(X[2010][trmask], F[2010][trmask])
    P={y: model.predict(X[y]) for y in years}
    sds=[]
    for y in years:
        b=(F[y]>.15)&(F[y]<.35)&~trmask
        sds.append(np.std(P[y][b]-F[y][b]))
    lab10 = F[2010]>=.25
    pa = np.where(lab10, P[2000] < .25, P[2020] >= .25)   # census-anchored
    def f1(p): tp=(p&grow).sum(); return 2*tp/(2*tp+(p&~grow).sum()+(~p&grow).sum())
    print(f"{name}: resid sd {' '.join(f'{s:.3f}' for s in sds)} | F1 thr {f1((P[2000]<.25)&(P[2020]>=.25)):.3f} anchored {f1(pa):.3f}", flush=True)
ev("ET reg, user sample", ExtraTreesRegressor(100, n_jobs=2, random_state=0, max_features=0.3), tr)
ev("HGB reg, user sample", HistGradientBoostingRegressor(max_iter=300, random_state=0), tr)
rng=np.random.default_rng(0); half = rng.random(len(ids))<.5
ev("HGB reg, half of all cells", HistGradientBoostingRegressor(max_iter=300, random_state=0), half)
ev("ET reg, half of all cells", ExtraTreesRegressor(100, n_jobs=2, random_state=0, max_features=0.3), half)
# pair oracle: predict f2020 and f2000 from two years' features, trained on the truth of half the cells
m=HistGradientBoostingRegressor(max_iter=300, random_state=0)
Xp=np.hstack([X[2020], X[2010]]); m.fit(Xp[half], F[2020][half]); P20=m.predict(Xp)
m2=HistGradientBoostingRegressor(max_iter=300, random_state=0)
Xq=np.hstack([X[2000], X[2010]]); m2.fit(Xq[half], F[2000][half]); P00=m2.predict(Xq)
b=(F[2020]>.15)&(F[2020]<.35)&~half
lab10 = F[2010]>=.25
pa = np.where(lab10, P00 < .25, P20 >= .25)
ev_=~half
tp=(pa&grow&ev_).sum(); print("pair oracle HGB: sd2020", np.std(P20[b]-F[2020][b]).round(3), "F1 anchored (held-out half)", round(2*tp/(2*tp+(pa&~grow&ev_).sum()+(~pa&grow&ev_).sum()),3))
# change target
m3=HistGradientBoostingRegressor(max_iter=300, random_state=0); D=F[2020]-F[2010]
m3.fit(np.hstack([X[2020]-X[2010], X[2010]])[half], D[half]); Pd=m3.predict(np.hstack([X[2020]-X[2010], X[2010]]))
bb=~half&(D>0.02); print("delta oracle: sd of delta among changing held-out cells", np.std(Pd[bb]-D[bb]).round(3), "among all held-out", np.std(Pd[~half]-D[~half]).round(3))
