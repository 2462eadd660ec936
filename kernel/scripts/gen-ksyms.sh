#!/usr/bin/env bash
# gen-ksyms.sh <image> <out.asm> <base symbol | 0xADDRESS> [reserve bytes]
# The kernel's symbol table as a nasm source for section .ksyms (layout documented in Core/Symbols.cs):
# code symbols of <image> (ELF or PE, read with nm), addresses relative to <base symbol> (the image start),
# sorted, deduplicated. With [reserve bytes] the section is padded to exactly that size (nasm fails when the
# table does not fit), so that the second link of a PE image moves nothing. Prints the table's size in bytes.
set -euo pipefail
image="$1"; out="$2"; base_sym="$3"; reserve="${4:-}"
if [[ "$base_sym" == 0x* ]]; then
  base="${base_sym#0x}"   # a number (the PE image base) instead of a symbol
else
  base=$(nm "$image" | awk -v s="$base_sym" '$3 == s { print $1; exit }')
fi
[ -n "$base" ] || { echo "gen-ksyms: $base_sym not found in $image" >&2; exit 1; }
nm -n --defined-only "$image" | awk -v base="$base" -v reserve="$reserve" -v win="${KSYMS_WIN64:-0}" '
  function hex(s,   i, c, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c } return v }
  BEGIN { b = hex(base) }
  $2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^\$/ {
    addr = hex($1) - b;
    if (addr < 0 || addr == last) next;
    last = addr;
    n++; a[n] = addr; s[n] = $3;
  }
  END {
    if (win == "1") print "section .ksyms rdata align=8"; else print "section .ksyms progbits alloc noexec nowrite align=8";
    if (win == "1") print "global __ksyms_start, __ksyms_end\n__ksyms_start:";
    print "ksyms_begin:";
    printf "dq %d\n", n;
    off = 0;
    for (i = 1; i <= n; i++) {
      len = length(s[i]);
      printf "dq %d\ndd %d, %d\n", a[i], off, len;
      off += len;
    }
    for (i = 1; i <= n; i++) printf "db \"%s\"\n", s[i];
    if (reserve != "") printf "times %d - ($ - ksyms_begin) db 0\n", reserve;
    if (win == "1") print "__ksyms_end:";
    print "; size " (8 + 16 * n + off) > "/dev/stderr";
  }' > "$out" 2> "$out.size"
sed -e 's/^; size //' "$out.size"
