#!/usr/bin/env bash
# run.sh [command words...]: build the kernel (with the analyzer gate) and boot it in QEMU with the serial
# console on this terminal. No words: the demo. Examples: run.sh test | run.sh test heap.size_classes |
# run.sh list | run.sh panic-null.  KERNEL_UEFI=1 boots the UEFI image under OVMF instead (runs the tests).
# Exit status: QEMU's, i.e. (code << 1) | 1 for the kernel's debug-exit codes (kernel/README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/install-deps.sh" >/dev/null
dotnet build "$here/Kernel.csproj" -nologo -v:q -clp:ErrorsOnly
QEMU=(qemu-system-x86_64 -serial stdio -display none -no-reboot -m 128M -device isa-debug-exit,iobase=0xf4,iosize=0x04)
rc=0
if [ "${KERNEL_UEFI:-0}" = "1" ]; then
  tmp=$(mktemp /tmp/kernel-uefi-XXXXXX.img)
  cp "$here/out/uefi.img" "$tmp"
  timeout "${KERNEL_TIMEOUT:-120}" "${QEMU[@]}" -machine pc -bios /usr/share/ovmf/OVMF.fd -net none -drive "format=raw,file=$tmp" || rc=$?
  rm -f "$tmp"
else
  timeout "${KERNEL_TIMEOUT:-60}" "${QEMU[@]}" -kernel "$here/out/kernel.elf" -append "$*" || rc=$?
fi
case "$rc" in
  33) echo "[qemu] demo finished (exit 33)";;
  35) echo "[qemu] all in-kernel tests passed (exit 35)";;
  37) echo "[qemu] in-kernel tests FAILED (exit 37)";;
  39) echo "[qemu] kernel PANIC (exit 39)";;
  41) echo "[qemu] test list printed (exit 41)";;
  0) echo "[qemu] triple fault / reset (exit 0)";;
  124) echo "[qemu] timeout: hang";;
  *) echo "[qemu] exit $rc";;
esac
# success for the demo, the tests and the list; failure otherwise
case "$rc" in 33|35|41) exit 0;; *) exit "$rc";; esac
