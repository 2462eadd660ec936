#!/usr/bin/env bash
# gen-ksyms.sh <elf> <out.asm>: the kernel's symbol table as a nasm source for section .ksyms
# (layout documented in Core/Symbols.cs). Only code symbols, sorted by address, deduplicated.
set -euo pipefail
elf="$1"; out="$2"
nm -n --defined-only "$elf" | awk '
  $2 ~ /^[tTwW]$/ && $3 !~ /^\./ {
    addr = $1; name = $3;
    if (addr == last) next;
    last = addr;
    n++; a[n] = addr; s[n] = name;
  }
  END {
    print "section .ksyms progbits alloc noexec nowrite align=8";
    printf "dq %d\n", n;
    off = 0;
    for (i = 1; i <= n; i++) {
      len = length(s[i]);
      printf "dq 0x%s\ndd %d, %d\n", a[i], off, len;
      off += len;
    }
    for (i = 1; i <= n; i++) printf "db \"%s\"\n", s[i];
  }' > "$out"
