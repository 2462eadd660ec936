#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed[, N skipped]".
# Stages: dependencies, build, then each test project; each stage prints how long it took.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
failures=0

stage() {
    local name=$1
    shift
    local start
    start=$(date +%s)
    echo "=== $name"
    "$@"
    local rc=$?
    echo "=== $name: $(( $(date +%s) - start )) s (exit $rc)"
    return $rc
}

# QEMU, nasm, lld, mtools and OVMF: the kernel build and its boot tests need them.
stage "dependencies" bash kernel/scripts/install-deps.sh || failures=$((failures + 1))

stage "build" dotnet build Kernel.sln -c Release -nologo -v q || failures=$((failures + 1))

for project in $(dotnet sln Kernel.sln list | grep -E 'Tests?\.csproj$'); do
    name=$(basename "$project" .csproj)
    stage "$name" dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFilePrefix=$name" --results-directory "$results" || true
done

python3 tools/count-results.py "$results" "$failures"
