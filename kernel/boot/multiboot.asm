; Multiboot 1 entry: 32-bit protected mode -> identity-mapped long mode -> KernelMain(magic, info).
; Page tables: the first 4 GiB identity mapped, 2 MiB pages except the first 2 MiB, which use 4 KiB pages
; so that page 0 stays unmapped (a null dereference is a page fault, reported by the kernel).
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ (1 << 0) | (1 << 1)        ; page-aligned modules, memory map

section .multiboot progbits alloc noexec nowrite align=4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .bss nobits alloc noexec write align=4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096 * 4
pt0:    resb 4096
boot_stack:
        resb 65536
boot_stack_top:

section .boot32 progbits alloc exec nowrite align=16
bits 32
global _start
_start:
    cli
    mov esp, boot_stack_top
    mov edi, eax                         ; multiboot magic
    mov esi, ebx                         ; multiboot info (physical)

    ; zero the page tables
    push edi
    mov edi, pml4
    mov ecx, (4096 * 7) / 4
    xor eax, eax
    rep stosd
    pop edi

    mov dword [pml4], pdpt + 3
    mov dword [pdpt + 0], pd + 3
    mov dword [pdpt + 8], pd + 4096 + 3
    mov dword [pdpt + 16], pd + 8192 + 3
    mov dword [pdpt + 24], pd + 12288 + 3

    ; 2048 PD entries of 2 MiB (present, writable, huge), entry 0 replaced by pt0 below
    xor ecx, ecx
.pd_loop:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83
    mov [pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11
    mov [pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jb .pd_loop
    mov dword [pd], pt0 + 3
    mov dword [pd + 4], 0

    ; 4 KiB pages for the first 2 MiB, page 0 left not present
    mov ecx, 1
.pt_loop:
    mov eax, ecx
    shl eax, 12
    or eax, 3
    mov [pt0 + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jb .pt_loop

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)   ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov eax, pml4
    mov cr3, eax
    mov ecx, 0xC0000080                  ; EFER
    rdmsr
    or eax, (1 << 8)                     ; LME
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)                   ; EM off
    or eax, (1 << 31) | (1 << 1) | (1 << 16) ; PG, MP, WP
    mov cr0, eax
    lgdt [gdt_ptr]
    jmp 0x08:long_entry

bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp
    mov edi, edi                         ; zero-extend magic and info
    mov esi, esi
    push 0                               ; terminates the frame-pointer chain
    push 0
    extern KernelMain
    call KernelMain
.hang:
    cli
    hlt
    jmp .hang

section .rodata
align 16
gdt:
    dq 0
    dq 0x00AF9A000000FFFF                ; 0x08 code64
    dq 0x00CF92000000FFFF                ; 0x10 data
gdt_end:
gdt_ptr:
    dw gdt_end - gdt - 1
    dq gdt

global kernel_boot_stack_top
section .text
kernel_boot_stack_top:
    lea rax, [boot_stack_top]
    ret
