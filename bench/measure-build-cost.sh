#!/usr/bin/env bash
# What HandleGen costs a build, against Vogen 8.0.7 (five [ValueObject<ulong>] structs) measured in the same
# run, in both regimes a build meets:
#   cold  a new compiler process for every build (UseSharedCompilation=false: this machine, many CI builds,
#         a user's first build): the generator is loaded and jitted every time;
#   warm  the compiler server (VBCSCompiler) already holds the generator, loaded and jitted.
# Each consumer is restored and built once, then rebuilt RUNS times (default 5) per regime after touching its
# source, with -p:ReportAnalyzer=true -v:detailed. The figure of one build is the time the compiler reports
# for the package's assemblies (generators and analyzers); the script prints every build and the median, and
# the ratios HandleGen / Vogen. HandleGen is packed from this repository first, as users get it.
# See docs/benchmarks.md.
#
#   bench/measure-build-cost.sh            (RUNS=10 bench/measure-build-cost.sh for more rebuilds)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
work="$(mktemp -d)"
trap 'dotnet build-server shutdown > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
version="0.0.0-cost.$(date +%s)"
export NUGET_PACKAGES="$work/packages"

echo "Packing HandleGen $version..."
for project in runtime/HandleGen.Runtime.csproj package/HandleGen.csproj; do
  dotnet pack "$root/$project" -c Release -o "$work/feed" -p:Version="$version" -nologo -v:quiet > /dev/null
done

mkdir -p "$work/handlegen" "$work/vogen"
cat > "$work/handlegen/HandleGenConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AllowUnsafeBlocks>true</AllowUnsafeBlocks><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="HandleGen" Version="$version" /></ItemGroup>
</Project>
XML
cp "$root/levels.json" "$work/handlegen/"
cp "$root/tests/HandleGen.Tests/EndToEnd/Consumers/Program.cs" "$work/handlegen/"
cat > "$work/handlegen/nuget.config" <<XML
<configuration><packageSources><add key="handlegen" value="$work/feed" /></packageSources></configuration>
XML
cat > "$work/vogen/VogenConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="Vogen" Version="8.0.7" /></ItemGroup>
</Project>
XML
cat > "$work/vogen/Program.cs" <<'CS'
using Vogen;
System.Console.WriteLine(Pfn.From(1UL));
[ValueObject<ulong>] public partial struct Pfn { }
[ValueObject<ulong>] public partial struct PhysAddr { }
[ValueObject<ulong>] public partial struct VirtAddr { }
[ValueObject<ulong>] public partial struct PteValue { }
[ValueObject<ulong>] public partial struct PmdValue { }
CS

# The milliseconds the compiler reports for the assemblies whose name starts with $2, in one build's log $1:
# the assembly lines ("  0.452  99   HandleGen.Generator, Version=…") of the analyzer and generator summaries.
package_ms() {
  awk -v prefix="$2" '$3 ~ "^" prefix && $4 == "Version=" || ($3 ~ "^" prefix && $3 ~ /,$/) { t = $1; sub(/^</, "", t); ms += t * 1000 } END { printf "%.0f", ms }' "$1"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# measure DIR PREFIX SHARED → prints each build's figure, then the median on the last line.
measure() {
  local dir="$1" prefix="$2" shared="$3" log="$work/build.log" figures=()
  # Not measured: restores, and in the warm regime starts the server and loads the package into it.
  touch "$dir/Program.cs"
  dotnet build "$dir" -nologo -v:quiet -p:UseSharedCompilation="$shared" > /dev/null
  for _ in $(seq 1 "$runs"); do
    touch "$dir/Program.cs"
    dotnet build "$dir" --no-restore -nologo -v:detailed -p:ReportAnalyzer=true -p:UseSharedCompilation="$shared" > "$log"
    figures+=("$(package_ms "$log" "$prefix")")
  done
  echo "${figures[*]}"
  printf '%s\n' "${figures[@]}" | median
}

declare -A result
for regime in cold warm; do
  shared=false; [ "$regime" = warm ] && shared=true
  for package in HandleGen Vogen; do
    dir="$work/$(echo "$package" | tr 'A-Z' 'a-z')"
    mapfile -t lines < <(measure "$dir" "$package" "$shared")
    result[$package.$regime]="${lines[1]}"
    printf '%-5s %-9s builds (ms): %s  median %s ms\n' "$regime" "$package" "${lines[0]}" "${lines[1]}"
  done
done
dotnet build-server shutdown > /dev/null 2>&1 || true

for regime in cold warm; do
  awk -v h="${result[HandleGen.$regime]}" -v v="${result[Vogen.$regime]}" -v r="$regime" \
    'BEGIN { printf "%s: HandleGen %s ms / Vogen %s ms = %.3f\n", r, h, v, (v > 0 ? h / v : 0) }'
done
