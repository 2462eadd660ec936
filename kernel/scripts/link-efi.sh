#!/usr/bin/env bash
# link-efi.sh <objdir> <out.efi>: links the UEFI application from <objdir>/kernel-efi.obj and cpu-efi.obj with
# its symbol table. Pass 1 reserves a fixed-size .ksyms section (twice the ELF image's table, from
# <objdir>/ksyms.size), pass 2 fills exactly that size, so nothing moves between the passes.
set -euo pipefail
obj="$1"; out="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
link() { lld-link -nologo -subsystem:efi_application -entry:EfiMain -nodefaultlib -debug:symtab \
  "$obj/kernel-efi.obj" "$obj/cpu-efi.obj" "$@"; }
elf_size=$(cat "$obj/ksyms.size")
reserve=$(( (elf_size * 2 + 8191) / 4096 * 4096 ))
printf 'section .ksyms rdata align=8\nglobal __ksyms_start, __ksyms_end\n__ksyms_start:\ndq 0\ntimes %d - ($ - __ksyms_start) db 0\n__ksyms_end:\n' \
  "$reserve" > "$obj/ksyms-efi0.asm"
nasm -f win64 -o "$obj/ksyms-efi0.obj" "$obj/ksyms-efi0.asm"
link "$obj/ksyms-efi0.obj" -out:"$obj/kernel-pass1.efi"
image_base=$(objdump -p "$obj/kernel-pass1.efi" | awk '$1 == "ImageBase" { print $2; exit }')
KSYMS_WIN64=1 bash "$here/gen-ksyms.sh" "$obj/kernel-pass1.efi" "$obj/ksyms-efi.asm" "0x$image_base" "$reserve" > /dev/null
nasm -f win64 -o "$obj/ksyms-efi.obj" "$obj/ksyms-efi.asm"
link "$obj/ksyms-efi.obj" -out:"$out"
