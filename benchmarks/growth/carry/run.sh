#!/usr/bin/env bash
# Issue 19, label carrying (docs/growth.md, "Label carrying and per-year normalisation"): on a seed prepared by
# ../prepare.sh, extracts the sample's carried cells from the other years' mosaics, trains on the census rows + the
# carried rows with `urban train` defaults, and runs `urban growth` with the prepared model (baseline) and the new one.
# Usage: run.sh DIR SEED [symmetric]   (symmetric: also non-urban cells >= 2 cells from any census town carried to the
# later years and town cores to the earlier ones).  URBAN: the CLI (default: this worktree's release build).
set -euo pipefail
d=$1; s=$2; variant=${3:-plain}; here=$(cd "$(dirname "$0")" && pwd)
urban=${URBAN:-"dotnet $here/../../../artifacts/bin/Inegi.UrbanGrowth.Cli/release/urban.dll"}
/usr/bin/python3 "$here/carry.py" "$d"
fx() { [ -s "$d/f_$1_$2.csv" ] || $urban features --mosaic "$d/scene/mosaic_$2.tif" --grid "$d/scene/labels_2010.tif" --cells "$d/cells_$1.csv" --out "$d/f_$1_$2.csv" >/dev/null; }
fx u 2015; fx u 2020; fx n 2000; fx n 2005
parts=("$d/features.csv" "$d/f_u_2015.csv" "$d/f_u_2020.csv" "$d/f_n_2000.csv" "$d/f_n_2005.csv"); name=carry
if [ "$variant" = symmetric ]; then
  fx nfar 2015; fx nfar 2020; fx ucore 2000; fx ucore 2005
  parts+=("$d/f_nfar_2015.csv" "$d/f_nfar_2020.csv" "$d/f_ucore_2000.csv" "$d/f_ucore_2005.csv"); name=carry2
fi
/usr/bin/python3 "$here/merge.py" "$d/features_$name.csv" "${parts[@]}"
$urban train --features "$d/features_$name.csv" --prevalence "$d/scene/labels_2010.tif" --out "$d/model_$name.ugm" --seed "$s" >/dev/null
g() { # model, output folder
  rm -rf "$d/$2"
  $urban growth --mosaics "$d"/scene/mosaic_{2000,2005,2010,2015,2020}.tif --years 2000,2005,2010,2015,2020 --grid "$d/scene/labels_2010.tif" \
    --model "$d/$1" --zones "$d/scene/zones.tif" --out "$d/$2" >/dev/null
  echo "seed $s $2 method   $(/usr/bin/python3 "$here/../evaluate.py" "$d/scene" "$d/$2" map)"
  echo "seed $s $2 baseline $(/usr/bin/python3 "$here/../evaluate.py" "$d/scene" "$d/$2" independent)"
  echo "seed $s $2 errors   $(/usr/bin/python3 "$here/errors.py" "$d/scene" "$d/$2")"
}
[ -d "$d/g_base" ] || g model.ugm g_base
g "model_$name.ugm" "g_$name"
