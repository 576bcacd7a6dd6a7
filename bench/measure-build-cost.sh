#!/usr/bin/env bash
# What HandleGen costs a build, against Vogen 8.0.7 (five [ValueObject<ulong>] structs) measured in the same
# run, in both regimes a build meets:
#   cold  a new compiler process for every build (UseSharedCompilation=false: this machine, many CI builds,
#         a user's first build): the generator is loaded and jitted every time;
#   warm  the compiler server (VBCSCompiler) already holds the generator, loaded and jitted.
# Two figures per build, both from one -v:detailed log:
#   package   the time the compiler reports for the package's assemblies (generators and analyzers), with
#             -p:ReportAnalyzer=true, in a consumer that uses the package (HandleGen: the end-to-end
#             consumer's Program.cs; Vogen: five value objects);
#   marginal  the Csc task's time (MSBuild's task performance summary) of a project with the package minus
#             that of the same project without it: what adding the package costs a build, the generated
#             code's compilation included. For HandleGen the pair is a one-line program with and without
#             the package and levels.json; for Vogen, the five structs with and without the package and
#             their attributes. Code written against the package costs what any code costs, so it is
#             left out of both pairs.
# Each consumer is restored and built once, then rebuilt RUNS times (default 5) per regime after touching its
# source; the projects of a regime take turns, one build each, so that a change of load meets all of them.
# The script prints every build, the medians and the ratios HandleGen / Vogen. HandleGen is packed from this
# repository first, as users get it. See docs/benchmarks.md.
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

# The marginal pairs: the same project with the package (…-with) and without it (…-without).
mkdir -p "$work/handlegen-with" "$work/handlegen-without" "$work/vogen-with" "$work/vogen-without"
for side in with without; do
  reference=""; [ "$side" = with ] && reference='<ItemGroup><PackageReference Include="HandleGen" Version="'"$version"'" /></ItemGroup>'
  cat > "$work/handlegen-$side/Marginal.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AllowUnsafeBlocks>true</AllowUnsafeBlocks><Nullable>enable</Nullable></PropertyGroup>
  $reference
</Project>
XML
  echo 'System.Console.WriteLine("marginal");' > "$work/handlegen-$side/Program.cs"
  cp "$work/handlegen/nuget.config" "$work/handlegen-$side/"
done
cp "$root/levels.json" "$work/handlegen-with/"
cp "$work/vogen/VogenConsumer.csproj" "$work/vogen/Program.cs" "$work/vogen-with/"
cat > "$work/vogen-without/Marginal.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
cat > "$work/vogen-without/Program.cs" <<'CS'
System.Console.WriteLine(1UL);
public partial struct Pfn { }
public partial struct PhysAddr { }
public partial struct VirtAddr { }
public partial struct PteValue { }
public partial struct PmdValue { }
CS

# The milliseconds the compiler reports for the assemblies whose name starts with $2, in one build's log $1:
# the assembly lines ("  0.452  99   HandleGen.Generator, Version=…") of the analyzer and generator summaries.
package_ms() {
  awk -v prefix="$2" '$3 ~ "^" prefix && $4 == "Version=" || ($3 ~ "^" prefix && $3 ~ /,$/) { t = $1; sub(/^</, "", t); ms += t * 1000 } END { printf "%.0f", ms }' "$1"
}

# The milliseconds of the Csc task in one build's log $1 (the line "  1234 ms  Csc  1 calls" of the task
# performance summary).
csc_ms() {
  awk '/Task Performance Summary/ { summary = 1 } summary && $2 == "ms" && $3 == "Csc" { ms += $1 } END { printf "%.0f", ms }' "$1"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# The projects of a run: name, directory, the prefix of its package's assemblies (none without a package).
projects=("HandleGen handlegen HandleGen" "Vogen vogen Vogen" "HandleGen-with handlegen-with HandleGen"
          "HandleGen-without handlegen-without -" "Vogen-with vogen-with Vogen" "Vogen-without vogen-without -")

declare -A package csc
for regime in cold warm; do
  shared=false; [ "$regime" = warm ] && shared=true
  # Not measured: restores, and in the warm regime starts the server and loads the packages into it.
  for project in "${projects[@]}"; do
    read -r _ dir _ <<< "$project"
    touch "$work/$dir/Program.cs"
    dotnet build "$work/$dir" -nologo -v:quiet -p:UseSharedCompilation="$shared" > /dev/null
  done
  for _ in $(seq 1 "$runs"); do
    for project in "${projects[@]}"; do
      read -r name dir prefix <<< "$project"
      log="$work/build.log"
      touch "$work/$dir/Program.cs"
      dotnet build "$work/$dir" --no-restore -nologo -v:detailed -clp:PerformanceSummary -p:ReportAnalyzer=true \
        -p:UseSharedCompilation="$shared" > "$log"
      package[$name.$regime]+="$(package_ms "$log" "$prefix") "
      csc[$name.$regime]+="$(csc_ms "$log") "
    done
  done
done
dotnet build-server shutdown > /dev/null 2>&1 || true

med() { tr ' ' '\n' <<< "$1" | grep . | median; }
declare -A result
for regime in cold warm; do
  for name in HandleGen Vogen; do
    result[$name.$regime]="$(med "${package[$name.$regime]}")"
    printf '%-5s %-9s package (ms): %s median %s ms\n' "$regime" "$name" "${package[$name.$regime]}" "${result[$name.$regime]}"
  done
  for name in HandleGen Vogen; do
    with="$(med "${csc[$name-with.$regime]}")"; without="$(med "${csc[$name-without.$regime]}")"
    result[$name.marginal.$regime]="$(awk -v a="$with" -v b="$without" 'BEGIN { print a - b }')"
    printf '%-5s %-9s Csc with (ms): %s median %s; without: %s median %s; marginal %s ms\n' "$regime" "$name" \
      "${csc[$name-with.$regime]}" "$with" "${csc[$name-without.$regime]}" "$without" "${result[$name.marginal.$regime]}"
  done
done

ratio() { awk -v h="$2" -v v="$3" -v r="$1" 'BEGIN { printf "%s: HandleGen %s ms / Vogen %s ms = %.3f\n", r, h, v, (v > 0 ? h / v : 0) }'; }
for regime in cold warm; do
  ratio "$regime package" "${result[HandleGen.$regime]}" "${result[Vogen.$regime]}"
  ratio "$regime marginal" "${result[HandleGen.marginal.$regime]}" "${result[Vogen.marginal.$regime]}"
done
