#!/usr/bin/env bash
# Consumer check: proves that the Inegi.UrbanGrowth packages work as published (docs/packages.md).
#
#   bash .ci/consumer-check.sh [--keep]
#
# 1. Packs every packable project of Inegi.UrbanGrowth.sln under src/ and samples/ (the libraries and the
#    `urban` tool) into feed/, with a version unique to this run (VersionPrefix-ci.<epoch>.<pid>), built
#    as on CI (ContinuousIntegrationBuild) in a private artifacts folder, so that neither the NuGet
#    global packages folder nor the repository's artifacts/ can serve stale bits.
# 2. Checks every package: lib/net10.0/<id>.dll + .xml (or tools/ for the tool), README, LICENSE, MIT
#    license expression, <repository type="git" commit=...>, dependencies pinned to this run's version,
#    a .snupkg with the PDB.
# 3. Restores, builds and runs samples/consumer (outside the solution, references the packages by
#    version, plus every other library package for compilation), then the file-based program
#    samples/scripts/consumer-check.cs (#:package ...@version), then installs the tool, if packed, into a
#    temporary folder and runs `urban --help`.
# 4. Removes this run's packages from feed/ and from the NuGet global packages folder (--keep: leaves
#    them, and the temporary folder, for inspection).
# Prints one summary line; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

keep=0
[ "${1:-}" = "--keep" ] && keep=1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$(date +%s)

prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props | head -n 1)
if [ -z "$prefix" ]; then
  echo "Consumer check: FAILED: no <VersionPrefix> in Directory.Build.props"
  exit 1
fi
suffix="ci.$(date +%s).$$"
version="$prefix-$suffix"
version_lower=$(printf '%s' "$version" | tr '[:upper:]' '[:lower:]')
work=$(mktemp -d "${TMPDIR:-/tmp}/urbangrowth-consumer.XXXXXX")
global_packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
global_packages=${global_packages%/}

cleanup() {
  if [ "$keep" = 1 ]; then
    echo "Kept: feed/*.$version.*nupkg and $work"
    return
  fi
  rm -f "$root"/feed/*."$version".nupkg "$root"/feed/*."$version".snupkg
  if [ -n "$global_packages" ]; then
    rm -rf "$global_packages"/inegi.urbangrowth.*/"$version_lower"
    rmdir --ignore-fail-on-non-empty "$global_packages"/inegi.urbangrowth.* 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "Consumer check: FAILED ($1) for version $version after $(( $(date +%s) - start )) s"
  exit 1
}

# Leftovers of runs that were killed before their cleanup, more than an hour old.
find feed -maxdepth 1 -name '*-ci.*nupkg' -mmin +60 -delete 2>/dev/null || true
if [ -n "$global_packages" ] && [ -d "$global_packages" ]; then
  find "$global_packages" -mindepth 2 -maxdepth 2 -path "$global_packages/inegi.urbangrowth.*/*-ci.*" -mmin +60 \
    -exec rm -rf {} + 2>/dev/null || true
fi

# --- 1. Pack -------------------------------------------------------------------------------------
solution=Inegi.UrbanGrowth.sln
[ -f "$solution" ] || solution=Inegi.UrbanGrowth.slnx
[ -f "$solution" ] || fail "no Inegi.UrbanGrowth.sln or .slnx"
mapfile -t projects < <(dotnet sln "$solution" list | tr -d '\r' | grep -E '^(src|samples)/.*\.csproj$' || true)
[ "${#projects[@]}" -gt 0 ] || fail "no project under src/ or samples/ in $solution"
notes=()
for p in src/*/*.csproj; do
  grep -qxF "$p" < <(printf '%s\n' "${projects[@]}") || notes+=("$p is not in $solution, not packed")
done

# A solution filter with just those projects: one restore and one build graph, no test projects.
{
  printf '{ "solution": { "path": "%s", "projects": [' "$root/$solution"
  sep=""
  for p in "${projects[@]}"; do printf '%s "%s"' "$sep" "$p"; sep=","; done
  printf ' ] } }\n'
} > "$work/packages.slnf"

echo "Packing ${#projects[@]} projects as $version..."
if ! dotnet pack "$work/packages.slnf" -c Release -o feed --version-suffix "$suffix" \
    --artifacts-path "$work/artifacts" -p:ContinuousIntegrationBuild=true -v:m > "$work/pack.log" 2>&1; then
  tail -n 40 "$work/pack.log"
  fail "dotnet pack"
fi
pack_s=$(( $(date +%s) - start ))

# --- 2. Inspect the packages ---------------------------------------------------------------------
libraries=()
tool=""
problems=()
for p in "${projects[@]}"; do
  id=$(basename "$p" .csproj)
  nupkg="feed/$id.$version.nupkg"
  if [ ! -f "$nupkg" ]; then
    case "$p" in src/*) problems+=("$id: no package (IsPackable false?)") ;; esac
    continue
  fi
  listing=$(unzip -Z1 "$nupkg")
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  has() { grep -qxF "$1" <<< "$listing"; }
  if grep -q '<packageType name="DotnetTool"' <<< "$nuspec"; then
    tool=$id
    grep -q '^tools/net10\.0/any/.*\.dll$' <<< "$listing" || problems+=("$id: no tools/net10.0/any/*.dll")
  else
    libraries+=("$id")
    has "lib/net10.0/$id.dll" || problems+=("$id: no lib/net10.0/$id.dll")
    has "lib/net10.0/$id.xml" || problems+=("$id: no XML documentation")
  fi
  has README.md || problems+=("$id: no README.md")
  has LICENSE || problems+=("$id: no LICENSE")
  grep -q '<readme>README.md</readme>' <<< "$nuspec" || problems+=("$id: no <readme>")
  grep -q '<license type="expression">MIT</license>' <<< "$nuspec" || problems+=("$id: no MIT license expression")
  grep -Eq '<repository type="git"[^>]* commit="[0-9a-f]{40}"' <<< "$nuspec" || problems+=("$id: no <repository type=\"git\" commit=...>")
  grep -Eq '<description>.{20,}</description>' <<< "$nuspec" || problems+=("$id: no description")
  while read -r dep; do
    problems+=("$id: depends on $dep, not version $version")
  done < <(grep -o '<dependency id="Inegi\.UrbanGrowth\.[^"]*" version="[^"]*"' <<< "$nuspec" \
             | grep -vF "version=\"$version\"" | sed 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/')
  readme=$(unzip -p "$nupkg" README.md 2>/dev/null || true)
  if grep -qF 'Part of Inegi.UrbanGrowth: see docs/packages.md' <<< "$readme"; then
    notes+=("$id has no README.md of its own (a generated one was packed)")
  fi
  if [ -z "$tool" ] || [ "$tool" != "$id" ]; then
    symbols=$(unzip -Z1 "feed/$id.$version.snupkg" 2>/dev/null || true)
    grep -qxF "lib/net10.0/$id.pdb" <<< "$symbols" || problems+=("$id: no .snupkg with lib/net10.0/$id.pdb")
  fi
done
if [ "${#problems[@]}" -gt 0 ]; then
  printf '  %s\n' "${problems[@]}"
  fail "${#problems[@]} package problem(s)"
fi

# --- 3. Use them ---------------------------------------------------------------------------------
echo "Consumer project (samples/consumer)..."
if ! dotnet run --project samples/consumer/Consumer.csproj -c Release \
    -p:UrbanGrowthVersion="$version" "-p:AlsoReference=${libraries[*]}" \
    -p:UseArtifactsOutput=true -p:ArtifactsPath="$work/consumer" \
    -- "$work/consumer-output" > "$work/consumer.log" 2>&1; then
  tail -n 40 "$work/consumer.log"
  fail "samples/consumer"
fi
consumer_checks=$(grep -Eo '^Consumer: [0-9]+ checks passed' "$work/consumer.log" | tail -n 1 | grep -Eo '[0-9]+' || true)
[ -n "$consumer_checks" ] || { cat "$work/consumer.log"; fail "samples/consumer printed no result"; }

echo "File-based program (samples/scripts/consumer-check.cs)..."
if ! dotnet run samples/scripts/consumer-check.cs -p:UrbanGrowthVersion="$version" \
    -- "$work/script-output" > "$work/script.log" 2>&1; then
  tail -n 40 "$work/script.log"
  fail "samples/scripts/consumer-check.cs"
fi
grep -qF "passed with Inegi.UrbanGrowth $version" "$work/script.log" || { cat "$work/script.log"; fail "script did not use $version"; }

tool_result="no tool package"
if [ -n "$tool" ]; then
  echo "Tool ($tool)..."
  if ! dotnet tool install "$tool" --version "$version" --tool-path "$work/tools" --add-source feed > "$work/tool.log" 2>&1; then
    tail -n 20 "$work/tool.log"
    fail "dotnet tool install $tool"
  fi
  command_name=$(find "$work/tools" -maxdepth 1 -type f -perm -u+x | head -n 1)
  if [ -z "$command_name" ] || ! "$command_name" --help > "$work/tool-help.log" 2>&1; then
    tail -n 20 "$work/tool-help.log" 2>/dev/null || true
    fail "$tool: the installed command does not run --help"
  fi
  tool_result="tool $(basename "$command_name") runs"
fi

for n in "${notes[@]}"; do echo "note: $n"; done
echo "Consumer check: passed for $version: ${#libraries[@]} library packages (${libraries[*]#Inegi.UrbanGrowth.}), $tool_result; consumer project $consumer_checks checks passed; script passed; pack ${pack_s} s, total $(( $(date +%s) - start )) s"
