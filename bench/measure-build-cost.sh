#!/usr/bin/env bash
# What adding HandleGen costs a real build: the generator's own time in a warm rebuild of a consumer, as
# the compiler reports it with -p:ReportAnalyzer=true. Builds the consumer once (restore, the generator,
# the compiler server warms up), then rebuilds it RUNS times (default 3) after touching one of its sources,
# so the compiler runs again with the generator already loaded, and prints the generator timing lines of
# each rebuild. See docs/benchmarks.md.
#
# "Warm" means the compiler server (VBCSCompiler) runs the compiler, as in an ordinary dotnet build, so the
# generator is loaded and jitted once and reused; the script passes -p:UseSharedCompilation=true because an
# environment variable UseSharedCompilation=false (common in CI) would otherwise start a new, cold compiler
# process for every build. SHARED=false measures that cold case instead. The server stops by itself after
# its idle timeout (10 minutes).
#
#   bench/measure-build-cost.sh [project] [extra dotnet build arguments, e.g. -p:HandleGenForm=strong]
#
# The default project is samples/MiniMm (x86_64, alias form, from the repository's levels.json).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
project="${1:-$root/samples/MiniMm/MiniMm.csproj}"
[ $# -gt 0 ] && shift
runs="${RUNS:-3}"
shared="-p:UseSharedCompilation=${SHARED:-true}"
source_file="$(find "$(dirname "$project")" -maxdepth 1 -name '*.cs' | head -n 1)"
if [ -z "$source_file" ]; then
  # A project that links its sources: touch the project file instead, which also reruns the compiler.
  source_file="$project"
fi

echo "Project: $project $shared $*"
echo "First build (not measured)..."
dotnet build "$project" -c Release -nologo -v:quiet "$shared" "$@" > /dev/null
echo "Rebuild to warm the compiler (not measured)..."
touch "$source_file"
dotnet build "$project" -c Release -nologo --no-restore -v:quiet "$shared" "$@" > /dev/null

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for run in $(seq 1 "$runs"); do
  touch "$source_file"
  dotnet build "$project" -c Release -nologo --no-restore -v:detailed -p:ReportAnalyzer=true "$shared" "$@" > "$log"
  echo "Rebuild $run:"
  # The compiler's summary: the total of all generators, then one line per generator.
  grep -E 'Total (analyzer|generator) execution time|HandleGen\.Generator\.LevelsGenerator' "$log" | sed 's/^ */  /' | sort -u
done
