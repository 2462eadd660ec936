#!/usr/bin/env bash
# Installs the host tools the kernel build and its QEMU tests need (Debian/Ubuntu).
# Idempotent: when every tool is already present it returns at once without touching apt.
set -euo pipefail

PACKAGES=(qemu-system-x86 ovmf nasm lld mtools xorriso binutils)
# tool each package provides, checked before calling apt
TOOLS=(qemu-system-x86_64 nasm ld.lld lld-link mcopy mformat xorriso objcopy)

missing=0
for t in "${TOOLS[@]}"; do
  command -v "$t" >/dev/null 2>&1 || missing=1
done
[ -f /usr/share/ovmf/OVMF.fd ] || missing=1

if [ "$missing" -eq 0 ]; then
  echo "install-deps: all tools present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"

# Debian ships lld as ld.lld / lld-link under versioned names on some releases: add plain links if needed.
for t in ld.lld lld-link; do
  if ! command -v "$t" >/dev/null 2>&1; then
    cand=$(ls /usr/bin/"$t"-* 2>/dev/null | sort -V | tail -n1 || true)
    if [ -n "$cand" ]; then $SUDO ln -sf "$cand" /usr/local/bin/"$t"; fi
  fi
done

for t in "${TOOLS[@]}"; do
  command -v "$t" >/dev/null 2>&1 || { echo "install-deps: $t still missing" >&2; exit 1; }
done
echo "install-deps: done"
