#!/usr/bin/env bash
# measure-boot.sh [runs] [out.md]: boot-time and image-size figures for docs/performance.md.
# Boots the built images under QEMU TCG (no KVM here) and times, from the start of QEMU:
#   - the kernel's first serial line, and the end of the in-kernel test suite (SUMMARY line),
#   for the multiboot ELF (-kernel) and the UEFI application (OVMF); the median of [runs] boots (default 5).
# Prints a markdown fragment and writes it to [out.md] (default kernel/out/performance.md).
# Build first: dotnet build kernel/Kernel.csproj
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
out="${2:-$here/out/performance.md}"
elf="$here/out/kernel.elf"
efi="$here/out/BOOTX64.EFI"
img="$here/out/uefi.img"
ovmf=/usr/share/ovmf/OVMF.fd
[ -f "$elf" ] || { echo "measure-boot: $elf missing: dotnet build kernel/Kernel.csproj" >&2; exit 1; }

QEMU=(qemu-system-x86_64 -serial stdio -display none -no-reboot -m 128M -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# one boot: prints "<first line ms> <summary ms> <exit status>"
boot_once() {
  local first="" summary="" start line now status
  start=$EPOCHREALTIME
  exec 3< <(rc=0; timeout 120 "${QEMU[@]}" "$@" 2>/dev/null || rc=$?; echo "__EXIT $rc")
  while IFS= read -r line <&3; do
    now=$EPOCHREALTIME
    line="${line%$'\r'}"
    case "$line" in
      *"kernel: hello"*) [ -z "$first" ] && first=$(awk -v a="$start" -v b="$now" 'BEGIN{printf "%.0f", (b-a)*1000}') ;;
      SUMMARY*) summary=$(awk -v a="$start" -v b="$now" 'BEGIN{printf "%.0f", (b-a)*1000}') ;;
      "__EXIT "*) status="${line#__EXIT }" ;;
    esac
  done
  exec 3<&-
  echo "${first:-NA} ${summary:-NA} ${status:-NA}"
}

median() { sort -n | awk '{a[NR]=$1} END{ if (NR==0) {print "NA"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.0f", (a[NR/2]+a[NR/2+1])/2} }'; }

measure() { # label, args...
  local label="$1"; shift
  local firsts=() sums=() statuses=()
  for ((i = 0; i < runs; i++)); do
    read -r f s st < <(boot_once "$@")
    firsts+=("$f"); sums+=("$s"); statuses+=("$st")
  done
  local mf ms
  mf=$(printf '%s\n' "${firsts[@]}" | grep -v NA | median)
  ms=$(printf '%s\n' "${sums[@]}" | grep -v NA | median)
  echo "| $label | $mf ms | $ms ms | $(printf '%s\n' "${statuses[@]}" | sort -u | tr '\n' ' ')|"
}

size_of() { [ -f "$1" ] && stat -c %s "$1" || echo NA; }

{
  echo "### Kernel boot time (QEMU TCG, $(nproc) cores, median of $runs boots)"
  echo
  echo "Measured by \`kernel/scripts/measure-boot.sh\` on $(date -u +%Y-%m-%d). Times are from the start of the QEMU"
  echo "process (its own start-up included) to the kernel's first serial line and to the in-kernel test suite's"
  echo "SUMMARY line. Target: first line under 300 ms for the multiboot image. Load average when the run started:"
  echo "$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows TCG down: compare runs at similar load)."
  echo
  echo "| image | first serial line | end of in-kernel tests | QEMU exit status(es) |"
  echo "| --- | --- | --- | --- |"
  measure "multiboot ELF (\`-kernel\`)" -kernel "$elf" -append test
  if [ -f "$img" ] && [ -f "$ovmf" ]; then
    tmp=$(mktemp /tmp/kernel-uefi-XXXXXX.img)
    cp "$img" "$tmp"
    measure "UEFI application (OVMF)" -machine pc -bios "$ovmf" -net none -drive "format=raw,file=$tmp"
    rm -f "$tmp"
  fi
  echo
  echo "Exit status 35 = every in-kernel test passed (see kernel/README.md for the codes)."
  echo
  echo "### Kernel image sizes"
  echo
  echo "| file | bytes |"
  echo "| --- | --- |"
  echo "| kernel.elf (multiboot, elf32-i386 wrapper of the ELF64 image, with symbol table) | $(size_of "$elf") |"
  echo "| kernel64.elf (ELF64, as linked) | $(size_of "$here/out/kernel64.elf") |"
  echo "| BOOTX64.EFI (UEFI application) | $(size_of "$efi") |"
  echo "| uefi.img (FAT image holding it) | $(size_of "$img") |"
  if command -v size >/dev/null; then
    read -r text data bss _ < <(size "$here/out/kernel64.elf" | tail -1)
    echo "| kernel64.elf text / data / bss | $text / $data / $bss |"
  fi
} | tee "$out"
