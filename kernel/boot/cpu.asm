; CPU primitives the C# core calls through [RuntimeImport] (no prologue tricks, no state).
; Assembled twice: -f elf64 (System V ABI, multiboot image) and -f win64 -DWIN64 (Microsoft ABI, UEFI image).
bits 64
default rel

%ifdef WIN64
  %define ARG0 rcx
  %define ARG1 rdx
  %define ARG0d ecx
  %define ARG1d edx
  %define ARG1w dx
  %define ARG1b dl
%else
  %define ARG0 rdi
  %define ARG1 rsi
  %define ARG0d edi
  %define ARG1d esi
  %define ARG1w si
  %define ARG1b sil
%endif

section .text

global cpu_outb, cpu_inb, cpu_outw, cpu_inw, cpu_outd, cpu_ind
cpu_outb:
    mov eax, ARG1d           ; value first: on win64 ARG1 is edx
    mov edx, ARG0d
    out dx, al
    ret
cpu_inb:
    mov edx, ARG0d
    xor eax, eax
    in al, dx
    ret
cpu_outw:
    mov eax, ARG1d           ; value first: on win64 ARG1 is edx
    mov edx, ARG0d
    out dx, ax
    ret
cpu_inw:
    mov edx, ARG0d
    xor eax, eax
    in ax, dx
    ret
cpu_outd:
    mov eax, ARG1d           ; value first: on win64 ARG1 is edx
    mov edx, ARG0d
    out dx, eax
    ret
cpu_ind:
    mov edx, ARG0d
    in eax, dx
    ret

global cpu_read_cr2, cpu_read_cr3, cpu_read_rbp, cpu_rdtsc, cpu_read_rsp
cpu_read_cr2:
    mov rax, cr2
    ret
cpu_read_cr3:
    mov rax, cr3
    ret
cpu_read_rbp:            ; the caller's frame pointer
    mov rax, rbp
    ret
cpu_read_rsp:
    lea rax, [rsp + 8]
    ret
cpu_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

global cpu_cli, cpu_sti, cpu_hlt, cpu_pause, cpu_save_flags_cli, cpu_restore_flags, cpu_invlpg, cpu_write_cr3
cpu_cli:
    cli
    ret
cpu_sti:
    sti
    ret
cpu_hlt:                 ; wait for the next interrupt with interrupts enabled
    sti
    hlt
    ret
cpu_pause:
    pause
    ret
cpu_save_flags_cli:
    pushfq
    pop rax
    cli
    ret
cpu_restore_flags:
    push ARG0
    popfq
    ret
cpu_invlpg:
    invlpg [ARG0]
    ret
cpu_write_cr3:
    mov cr3, ARG0
    ret

; cpu_load_gdt(ptr to {u16 limit; u64 base}, u16 tss selector): loads the GDT, reloads every segment
; register (code 0x08, data 0x10) and the task register.
global cpu_load_gdt
cpu_load_gdt:
    lgdt [ARG0]
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov eax, ARG1d
    ltr ax
    pop rax              ; return address
    push qword 0x08
    push rax
    retfq

global cpu_load_idt
cpu_load_idt:
    lidt [ARG0]
    ret

; Voluntary reschedule: the same path as a timer interrupt (vector 0x30).
global cpu_yield
cpu_yield:
    int 0x30
    ret

; ---------------------------------------------------------------------------------------------------------
; Interrupt entry. Frame layout (from the saved rsp upwards), the contract with Kernel.Core.InterruptFrame:
;   [0, 512)    fxsave area (SSE state)
;   512..624    r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax
;   632         vector, 640 error code
;   648..       rip cs rflags rsp ss (pushed by the CPU)
; The managed dispatcher returns the frame to resume (the same one, or another thread's).
extern KernelInterruptDispatch

%macro ISR_NOERR 1
isr_%1:
    push qword 0
    push qword %1
    jmp isr_common
%endmacro
%macro ISR_ERR 1
isr_%1:
    push qword %1
    jmp isr_common
%endmacro

isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    sub rsp, 512
    fxsave [rsp]
    mov ARG0, rsp
%ifdef WIN64
    sub rsp, 32
%endif
    call KernelInterruptDispatch
    mov rsp, rax
    fxrstor [rsp]
    add rsp, 512
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16
    iretq

%assign i 0
%rep 256
%if i = 8 || (i >= 10 && i <= 14) || i = 17 || i = 21 || i = 29 || i = 30
    ISR_ERR i
%else
    ISR_NOERR i
%endif
%assign i i+1
%endrep

%ifdef WIN64
section .rdata
%else
section .rodata
%endif
align 8
global cpu_isr_table
cpu_isr_table:
%assign i 0
%rep 256
    dq isr_ %+ i
%assign i i+1
%endrep

; ---------------------------------------------------------------------------------------------------------
; Write barriers: there is no GC, so they are plain stores.
section .text
global RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef, RhpStackProbe, RhpAssignRefAVLocation
global RhpCheckedLockCmpXchg, RhpCheckedXchg
RhpAssignRef:
RhpCheckedAssignRef:
RhpAssignRefAVLocation:
    mov [ARG0], ARG1
    ret
RhpByRefAssignRef:       ; rdi = dst, rsi = src on both ABIs; advances both
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret
RhpCheckedLockCmpXchg:   ; (dst, value, comparand) -> old
%ifdef WIN64
    mov rax, r8
    lock cmpxchg [rcx], rdx
%else
    mov rax, rdx
    lock cmpxchg [rdi], rsi
%endif
    ret
RhpCheckedXchg:
    mov rax, ARG1
    xchg [ARG0], rax
    ret
RhpStackProbe:           ; stacks are fixed and fully mapped: nothing to probe
    ret

; Linker-provided addresses, as functions so C# can read them.
global kernel_image_start, kernel_image_end, kernel_ksyms_start, kernel_ksyms_end
%ifdef WIN64
; PE image: start = __ImageBase, end = start + SizeOfImage; the symbol table's bounds come from the
; generated .ksyms object (scripts/gen-ksyms.sh).
extern __ImageBase, __ksyms_start, __ksyms_end
kernel_image_start:
    lea rax, [__ImageBase]
    ret
kernel_image_end:
    lea rcx, [__ImageBase]
    mov eax, [rcx + 0x3C]                ; e_lfanew
    mov eax, [rcx + rax + 0x50]          ; OptionalHeader.SizeOfImage
    add rax, rcx
    ret
kernel_ksyms_start:
    lea rax, [__ksyms_start]
    ret
kernel_ksyms_end:
    lea rax, [__ksyms_end]
    ret
%else
extern __kernel_start, __kernel_end, __ksyms_start, __ksyms_end
kernel_image_start:
    lea rax, [__kernel_start]
    ret
kernel_image_end:
    lea rax, [__kernel_end]
    ret
kernel_ksyms_start:
    lea rax, [__ksyms_start]
    ret
kernel_ksyms_end:
    lea rax, [__ksyms_end]
    ret
%endif

global cpu_isr_table_address
cpu_isr_table_address:
    lea rax, [cpu_isr_table]
    ret

global cpu_stop
cpu_stop:
    cli
    hlt
    jmp cpu_stop

global kernel_rtr_header
extern __ReadyToRunHeader
kernel_rtr_header:
    lea rax, [__ReadyToRunHeader]
    ret

section .data
global __security_cookie
align 8
__security_cookie:
    dq 0x2B992DDFA232

section .text
global cpu_read_flags
cpu_read_flags:
    pushfq
    pop rax
    ret

; ---------------------------------------------------------------------------------------------------------
; Interface dispatch. A call site does `call [r11]` with r11 = its dispatch cell and `this` in the first
; argument register. There is no cache: every call asks the C# resolver (Runtime/InterfaceDispatch.cs) for the
; target, with every argument register preserved, then jumps to it.
extern KernelResolveInterfaceCall
global RhpInitialDynamicInterfaceDispatch
RhpInitialDynamicInterfaceDispatch:
    push rbp
    mov rbp, rsp
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 128
    movdqu [rsp + 0], xmm0
    movdqu [rsp + 16], xmm1
    movdqu [rsp + 32], xmm2
    movdqu [rsp + 48], xmm3
    movdqu [rsp + 64], xmm4
    movdqu [rsp + 80], xmm5
    movdqu [rsp + 96], xmm6
    movdqu [rsp + 112], xmm7
    mov ARG1, r11                        ; ARG0 already holds `this`
%ifdef WIN64
    sub rsp, 32
    call KernelResolveInterfaceCall
    add rsp, 32
%else
    call KernelResolveInterfaceCall
%endif
    movdqu xmm0, [rsp + 0]
    movdqu xmm1, [rsp + 16]
    movdqu xmm2, [rsp + 32]
    movdqu xmm3, [rsp + 48]
    movdqu xmm4, [rsp + 64]
    movdqu xmm5, [rsp + 80]
    movdqu xmm6, [rsp + 96]
    movdqu xmm7, [rsp + 112]
    add rsp, 128
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    pop rbp
    jmp rax
