"""What precision the growth goal needs: the synthetic truth fractions plus white noise of sd sigma per cell and year,
decided with the census year (2010) known and growth monotone. Run in ROOT after fractions.cs wrote ROOT/frac_SEED.csv.
Usage: noise_ceiling.py SEED...   Prints new-urban F1 2000 -> 2020 and first-year exactness per sigma."""
import numpy as np, sys
years=(2000,2005,2010,2015,2020)
for seed in sys.argv[1:]:
    d = np.genfromtxt(f"frac_{seed}.csv", delimiter=",", names=True)
    F = np.stack([d[f"f{y}"] for y in years]); F = F[:, d["def"] == 1]
    U = F >= .25; grow = ~U[0] & U[-1]
    fy = np.argmax(U, 0)
    rng = np.random.default_rng(0); row=[]
    for sig in (0.01, 0.02, 0.03, 0.05):
        E = F + rng.normal(0, sig, F.shape)
        # census-anchored monotone decision: 2010 known; after: cummax from 2010 on; before: cummin backwards
        P = E >= .25; P[2] = U[2]
        for t in (3, 4): P[t] |= P[t-1]
        for t in (1, 0): P[t] &= P[t+1]
        p = ~P[0] & P[-1]; tp=(p&grow).sum(); f1 = 2*tp/(2*tp+(p&~grow).sum()+(~p&grow).sum())
        ex = (np.argmax(P, 0) == fy)[grow].mean()
        row.append(f"sigma {sig}: F1 {f1:.3f} first-year exact {ex:.3f}")
    print(seed, " | ".join(row))
