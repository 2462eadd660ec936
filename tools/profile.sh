#!/usr/bin/env bash
# Samples the analyzer suite on the generated corpus and prints where its callbacks spend their time: the Roslyn or
# runtime call each of our frames was in, then our frames inclusive. Usage: tools/profile.sh [lines] [rounds].
# The sampler records threads' wall-clock stacks, blocked ones included: a thread suspended for a garbage collection
# while it waits for a lock shows as time in Monitor.Enter, so read lock waits as an upper bound.
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-50000}"
rounds="${2:-3}"
tool_dir="${DOTNET_TRACE_DIR:-/tmp/dotnet-trace-tool}"
[ -x "$tool_dir/dotnet-trace" ] ||
    dotnet tool install --tool-path "$tool_dir" dotnet-trace --version 10.0.750501 >/dev/null
work="$(mktemp -d /tmp/profile-XXXXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build analyzers.benchmarks/Kernel.Analyzers.Benchmarks.csproj -c Release -nologo -v q >/dev/null
"$tool_dir/dotnet-trace" collect --profile dotnet-sampled-thread-time --format Speedscope -o "$work/suite.nettrace" \
    -- dotnet analyzers.benchmarks/bin/Release/net10.0/Kernel.Analyzers.Benchmarks.dll --suite "$lines" "$rounds" >/dev/null
python3 tools/profile-summary.py "$work/suite.speedscope.json"
