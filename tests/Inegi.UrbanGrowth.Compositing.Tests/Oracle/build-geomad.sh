#!/usr/bin/env bash
# Compiles geomad's Cython module into $1/geomad (a copy of ./geomad). Needs cython3, python3-dev, gcc, numpy.
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)/geomad"
out="$1"
mkdir -p "$out/geomad"
cp "$src"/*.py "$src"/pcm.pyx "$out/geomad/"
cd "$out/geomad"
cython3 -3 pcm.pyx -o pcm.c
py=/usr/bin/python3
gcc -O2 -fPIC -shared -fopenmp -w $("$py"-config --includes) -I"$("$py" -c 'import numpy; print(numpy.get_include())')" \
    pcm.c -o "pcm$("$py"-config --extension-suffix)"
