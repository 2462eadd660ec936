#!/usr/bin/env bash
# The main job: builds the analyzer suite, runs it over samples/ printing the diagnostics as a user sees them, then
# builds the reference kernel with every KRN rule at error and boots it in QEMU with its serial console here.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building the Kernel.Analyzers suite..."
dotnet build analyzers/Kernel.Analyzers/Kernel.Analyzers.csproj -c Release -nologo -v q
echo
echo "Analysing samples/ (bad twins report their seed bug; files named *Fixed* are clean):"
dotnet build samples/Samples.csproj -c Release -nologo -v q --no-incremental 2>&1 \
    | grep -E "warning KRN|error KRN" | sed -E "s#^$(pwd)/##; s# \[[^]]*\]\$##" | sort -u

echo
echo "Building the reference kernel (every KRN rule at error) and booting it in QEMU:"
bash kernel/scripts/run.sh "$@"
