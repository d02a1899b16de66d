"""Concatenates features CSVs (same header) and writes the settings sidecar of the first with the new size and hash.
Usage: merge.py OUT.csv IN1.csv IN2.csv ..."""
import sys, json, hashlib, os
out, ins = sys.argv[1], sys.argv[2:]
hdr = None
with open(out, "w", newline="") as f:
    for p in ins:
        with open(p) as g:
            h = g.readline()
            if hdr is None: hdr = h; f.write(h)
            assert h == hdr, p
            for line in g: f.write(line)
j = json.load(open(ins[0] + ".settings.json"))
j["features_csv"] = {"bytes": os.path.getsize(out), "sha256": hashlib.sha256(open(out, "rb").read()).hexdigest()}
json.dump(j, open(out + ".settings.json", "w"), indent=2)
print(out, sum(1 for _ in open(out)) - 1, "rows")
