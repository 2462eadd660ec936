#!/usr/bin/env bash
# The main job: runs the analyzer suite over samples/ (the diagnostics as a user sees them), builds the reference
# kernel with every KRN rule at error, boots it in QEMU with its network services, fetches the page its HTTP server
# serves on a forwarded port, and shuts it down. `tools/main.sh demo|test|list|panic-null` boots that command instead.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building the Kernel.Analyzers suite..."
dotnet build analyzers/Kernel.Analyzers/Kernel.Analyzers.csproj -c Release -nologo -v q
echo
echo "Analysing samples/ (bad twins report their seed bug; files named *Fixed* are clean):"
dotnet build samples/Samples.csproj -c Release -nologo -v q --no-incremental 2>&1 \
    | grep -E "warning KRN|error KRN" | sed -E "s#^$(pwd)/##; s# \[[^]]*\]\$##" | sort -u
echo

if [ $# -gt 0 ]; then
    exec bash kernel/scripts/run.sh "$@"
fi

echo "Building the reference kernel (every KRN rule at error) and booting it in QEMU with its network services:"
bash kernel/scripts/install-deps.sh >/dev/null
dotnet build kernel/Kernel.csproj -nologo -v:q -clp:ErrorsOnly
http=${KERNEL_HTTP_PORT:-8080}
control=${KERNEL_CONTROL_PORT:-8008}
timeout 180 qemu-system-x86_64 -serial stdio -display none -no-reboot -m 128M \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel kernel/out/kernel.elf -append net-serve \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$http-:80,hostfwd=tcp:127.0.0.1:$control-:8" -device e1000,netdev=n0 &
qemu=$!
page=""
for _ in $(seq 1 60); do
    if page=$(curl -fsS --max-time 5 "http://127.0.0.1:$http/" 2>/dev/null); then
        break
    fi
    sleep 1
done
echo
echo "--- curl http://127.0.0.1:$http/ (served by the kernel) ---"
echo "${page:-(no answer)}"
echo "---"
# Ask the kernel to stop through its control port, then wait for QEMU to exit.
python3 - "$control" <<'PY' || true
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s:
    s.sendall(b"quit\n")
    s.settimeout(5)
    try:
        s.recv(256)
    except OSError:
        pass
PY
wait "$qemu" || true
[ -n "$page" ]
