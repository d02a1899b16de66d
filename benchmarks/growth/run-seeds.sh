#!/usr/bin/env bash
# Runs `urban growth --model` on prepared seeds (prepare.sh) and scores the method and the post-classification
# baseline of the same run with evaluate.py.  Usage: run-seeds.sh ROOT SEED...   (ROOT/s<SEED> made by prepare.sh)
set -euo pipefail
root=$1; shift
urban=${URBAN:-"dotnet $(dirname "$0")/../../artifacts/bin/Inegi.UrbanGrowth.Cli/release/urban.dll"}
for seed in "$@"; do
  d="$root/s$seed"; out="$d/growth-model"
  rm -rf "$out"
  /usr/bin/time -f "%e s" -o "$d/growth-model.time" $urban growth --mosaics "$d"/scene/mosaic_{2000,2005,2010,2015,2020}.tif --years 2000,2005,2010,2015,2020 \
    --grid "$d/scene/labels_2010.tif" --model "$d/model.ugm" --zones "$d/scene/zones.tif" --out "$out" >"$d/growth-model.log"
  echo "seed $seed method   $(/usr/bin/python3 "$(dirname "$0")/evaluate.py" "$d/scene" "$out" map) | $(cat "$d/growth-model.time")"
  echo "seed $seed baseline $(/usr/bin/python3 "$(dirname "$0")/evaluate.py" "$d/scene" "$out" independent)"
done
