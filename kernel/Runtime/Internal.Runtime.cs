// Runtime pieces the compiler (ilc) expects in the system module: the MethodTable layout, the allocation
// and cast helpers, static-base initialization and the throw helpers. There is no garbage collector:
// allocation goes to the kernel heap (Kernel.Core.Memory.KernelHeap), see kernel/README.md "Memory model".
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernel.Core;
using Kernel.Core.Mm;

namespace Internal.Runtime
{
    // The first fields of a NativeAOT MethodTable (x64). Only what the helpers read.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MethodTable
    {
        internal uint Flags;          // low 16 bits: component size when HasComponentSize
        internal uint BaseSize;
        internal MethodTable* RelatedType; // base type for classes, element type for arrays
        internal ushort NumVtableSlots;
        internal ushort NumInterfaces;
        internal uint HashCode;

        private const uint HasComponentSizeFlag = 0x80000000;

        internal bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;

        internal ushort ComponentSize => HasComponentSize ? (ushort)(Flags & 0xFFFF) : (ushort)0;

        internal MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                {
                    return (MethodTable**)((byte*)self + 24 + NumVtableSlots * 8);
                }
            }
        }
    }

    internal static class GCStaticRegionConstants
    {
        public const int Uninitialized = 1;
        public const int HasPreInitializedData = 2;
        public const int Mask = 3;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ReadyToRunHeader
    {
        internal uint Signature; // 'RTR'
        internal ushort MajorVersion;
        internal ushort MinorVersion;
        internal uint Flags;
        internal ushort NumberOfSections;
        internal byte EntrySize;
        internal byte EntryType;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ModuleInfoRow
    {
        internal int SectionId;
        internal int Flags;
        internal byte* Start;
        internal byte* End;
    }

    // Raw layout of an array, for reaching its first element.
    internal sealed class RawArrayData
    {
#pragma warning disable CS0649
        public uint Length;
        public uint Padding;
        public byte Data;
#pragma warning restore CS0649
    }

    /// <summary>Object allocation for the compiler's helpers. Failure is a panic with the size asked for.</summary>
    internal static unsafe class RuntimeAllocator
    {
        internal static object NewObject(MethodTable* type)
        {
            return AllocateRaw(type, type->BaseSize, 0);
        }

        internal static object NewArray(MethodTable* type, int length)
        {
            if (length < 0)
            {
                Panic.Halt("negative array length");
            }
            ulong size = type->BaseSize + (ulong)type->ComponentSize * (ulong)length;
            size = (size + 7) & ~7UL;
            if (size > 0x7FFFFFFF)
            {
                Panic.Halt("array too large");
            }
            return AllocateRaw(type, (uint)size, length);
        }

        /// <summary>Like <see cref="NewArray"/>, but returns null when the heap cannot satisfy the request (or
        /// the length is out of range), for callers that check and unwind (a module's initializer).</summary>
        [Kernel.MayReturnNull]
        internal static object? TryNewArray(MethodTable* type, int length)
        {
            if (length < 0)
            {
                return null;
            }
            ulong size = type->BaseSize + (ulong)type->ComponentSize * (ulong)length;
            size = (size + 7) & ~7UL;
            if (size > 0x7FFFFFFF)
            {
                return null;
            }
            byte* mem = KernelHeap.AllocateZeroed(size);
            if (mem == null)
            {
                return null;
            }
            byte* obj = mem + 8;
            *(MethodTable**)obj = type;
            *(int*)(obj + 8) = length;
            return Unsafe.AsRef<object>(&obj);
        }

        internal static string NewString(int length)
        {
            MethodTable* stringType = StringType();
            object o = NewArray(stringType, length);
            return Unsafe.As<string>(o);
        }

        private static MethodTable* StringType()
        {
            object empty = string.Empty;
            return empty.m_pMethodTable;
        }

        private static object AllocateRaw(MethodTable* type, uint size, int length)
        {
            // An object reference points at its MethodTable pointer; the 8-byte header sits just before it and
            // is counted in BaseSize.
            byte* mem = KernelHeap.AllocateZeroed(size);
            if (mem == null)
            {
                Panic.OutOfMemory(size);
            }
            byte* obj = mem + 8;
            *(MethodTable**)obj = type;
            if (type->HasComponentSize)
            {
                *(int*)(obj + 8) = length;
            }
            return Unsafe.AsRef<object>(&obj);
        }
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Targets of the compiler's implicit throws. There is no exception dispatch: each is a panic.</summary>
    internal static class ThrowHelpers
    {
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowNullReferenceException() => Panic.Halt("NullReferenceException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowIndexOutOfRangeException() => Panic.Halt("IndexOutOfRangeException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowOverflowException() => Panic.Halt("OverflowException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowDivideByZeroException() => Panic.Halt("DivideByZeroException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowInvalidCastException() => Panic.Halt("InvalidCastException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowArrayTypeMismatchException() => Panic.Halt("ArrayTypeMismatchException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowInvalidOperationException() => Panic.Halt("InvalidOperationException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowArgumentOutOfRangeException() => Panic.Halt("ArgumentOutOfRangeException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowArgumentException() => Panic.Halt("ArgumentException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowPlatformNotSupportedException() => Panic.Halt("PlatformNotSupportedException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowNotImplementedException() => Panic.Halt("NotImplementedException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowTypeLoadException() => Panic.Halt("TypeLoadException");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowFeatureBodyRemoved() => Panic.Halt("feature body removed by the compiler");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void ThrowBodyRemoved() => Panic.Halt("method body removed by the compiler");
    }

    /// <summary>Module start-up: allocates the GC static bases (once) and runs eager class constructors.</summary>
    internal static unsafe class StartupCodeHelpers
    {
        private const uint Signature = 0x00525452; // "RTR"
        private const int GCStaticRegion = 201;
        private const int EagerCctor = 205;

        internal static void InitializeModule(ReadyToRunHeader* header)
        {
            if (header->Signature != Signature)
            {
                Panic.Halt("bad ReadyToRun header signature");
            }
            ModuleInfoRow* sections = (ModuleInfoRow*)(header + 1);
            for (int i = 0; i < header->NumberOfSections; i++)
            {
                if (sections[i].SectionId == GCStaticRegion)
                {
                    InitializeStatics(sections[i].Start, sections[i].End);
                }
            }
            for (int i = 0; i < header->NumberOfSections; i++)
            {
                if (sections[i].SectionId == EagerCctor)
                {
                    for (byte* p = sections[i].Start; p < sections[i].End; p += 8)
                    {
                        ((delegate*<void>)(*(void**)p))();
                    }
                }
            }
        }

        private static byte* ReadRelPtr32(void* address) => (byte*)address + *(int*)address;

        private static void InitializeStatics(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += 4)
            {
                // Each entry: a relative pointer to a static base cell. The cell holds a relative pointer to
                // the MethodTable of the statics' object, with the low bits as flags, until it is initialized.
                nint* cell = (nint*)ReadRelPtr32(entry);
                nint value = (nint)ReadRelPtr32(cell);
                if ((value & GCStaticRegionConstants.Uninitialized) == 0)
                {
                    continue;
                }
                MethodTable* type = (MethodTable*)(value & ~(nint)GCStaticRegionConstants.Mask);
                object obj = RuntimeAllocator.NewObject(type);
                if ((value & GCStaticRegionConstants.HasPreInitializedData) != 0)
                {
                    byte* data = ReadRelPtr32((int*)cell + 1);
                    byte* dst = *(byte**)Unsafe.AsPointer(ref obj) + 8;
                    Memory.Copy(dst, data, type->BaseSize - 16);
                }
                *cell = *(nint*)Unsafe.AsPointer(ref obj);
            }
        }
    }
}

namespace System.Runtime.CompilerServices
{
    // Layout contract with the compiler for lazily run class constructors.
    [StructLayout(LayoutKind.Sequential)]
    public struct StaticClassConstructionContext
    {
        public IntPtr cctorMethodAddress;
    }

    internal static unsafe class ClassConstructorRunner
    {
        private static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return gcStaticBase;
        }

        private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, IntPtr nonGcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return nonGcStaticBase;
        }

        private static void EnsureClassConstructorRun(StaticClassConstructionContext* context)
        {
            void* cctor = (void*)context->cctorMethodAddress;
            if (cctor != null)
            {
                // single core, and class constructors do not block: mark first so recursion terminates
                context->cctorMethodAddress = default;
                ((delegate*<void>)cctor)();
            }
        }
    }
}

namespace System.Runtime
{
    /// <summary>Cast helpers the compiler calls for `is`, `as` and casts on classes and arrays.</summary>
    internal static unsafe class TypeCast
    {
        private static bool IsDerived(Internal.Runtime.MethodTable* type, Internal.Runtime.MethodTable* target)
        {
            while (type != null)
            {
                if (type == target)
                {
                    return true;
                }
                type = type->RelatedType;
            }
            return false;
        }

        private static bool Implements(Internal.Runtime.MethodTable* type, Internal.Runtime.MethodTable* target)
        {
            Internal.Runtime.MethodTable** map = type->InterfaceMap;
            for (int i = 0; i < type->NumInterfaces; i++)
            {
                if (map[i] == target)
                {
                    return true;
                }
            }
            return false;
        }

        public static object? IsInstanceOfClass(Internal.Runtime.MethodTable* target, object? obj)
        {
            if (obj == null || IsDerived(obj.m_pMethodTable, target))
            {
                return obj;
            }
            return null;
        }

        public static object CheckCastClass(Internal.Runtime.MethodTable* target, object obj)
        {
            if (obj == null || IsDerived(obj.m_pMethodTable, target))
            {
                return obj!;
            }
            Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
            return null!;
        }

        public static object CheckCastClassSpecial(Internal.Runtime.MethodTable* target, object obj) => CheckCastClass(target, obj);

        public static object? IsInstanceOfInterface(Internal.Runtime.MethodTable* target, object? obj)
        {
            if (obj == null || Implements(obj.m_pMethodTable, target))
            {
                return obj;
            }
            return null;
        }

        public static object CheckCastInterface(Internal.Runtime.MethodTable* target, object obj)
        {
            if (obj == null || Implements(obj.m_pMethodTable, target))
            {
                return obj!;
            }
            Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
            return null!;
        }

        public static object? IsInstanceOfAny(Internal.Runtime.MethodTable* target, object? obj)
        {
            if (obj == null || obj.m_pMethodTable == target || IsDerived(obj.m_pMethodTable, target) || Implements(obj.m_pMethodTable, target))
            {
                return obj;
            }
            return null;
        }

        public static object CheckCastAny(Internal.Runtime.MethodTable* target, object obj)
        {
            object? r = IsInstanceOfAny(target, obj);
            if (r == null && obj != null)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
            }
            return r!;
        }

        public static bool IsInstanceOfException(Internal.Runtime.MethodTable* target, object? obj)
        {
            return obj != null && IsDerived(obj.m_pMethodTable, target);
        }

        public static void StelemRef(object?[] array, nint index, object? obj)
        {
            // element type checks are not enforced (no covariant arrays in the kernel)
            if ((nuint)index >= (nuint)array.Length)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
            }
            ref object? element = ref Unsafe.As<byte, object?>(ref Unsafe.As<Internal.Runtime.RawArrayData>(array).Data);
            Unsafe.Add(ref element, (int)index) = obj;
        }

        public static ref object? LdelemaRef(object?[] array, nint index, Internal.Runtime.MethodTable* elementType)
        {
            if ((nuint)index >= (nuint)array.Length)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
            }
            ref object? element = ref Unsafe.As<byte, object?>(ref Unsafe.As<Internal.Runtime.RawArrayData>(array).Data);
            return ref Unsafe.Add(ref element, (int)index);
        }
    }

    /// <summary>Symbols the generated code links against, implemented in C#.</summary>
    internal static unsafe class RuntimeExports
    {
        [RuntimeExport("RhpNewFast")]
        private static object RhpNewFast(Internal.Runtime.MethodTable* type) => Internal.Runtime.RuntimeAllocator.NewObject(type);

        [RuntimeExport("RhpNewFinalizable")]
        private static object RhpNewFinalizable(Internal.Runtime.MethodTable* type) => Internal.Runtime.RuntimeAllocator.NewObject(type);

        [RuntimeExport("RhpNewArray")]
        private static object RhpNewArray(Internal.Runtime.MethodTable* type, int length) => Internal.Runtime.RuntimeAllocator.NewArray(type, length);

        [RuntimeExport("RhpNewArrayFast")]
        private static object RhpNewArrayFast(Internal.Runtime.MethodTable* type, int length) => Internal.Runtime.RuntimeAllocator.NewArray(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static object RhpNewPtrArrayFast(Internal.Runtime.MethodTable* type, int length) => Internal.Runtime.RuntimeAllocator.NewArray(type, length);

        [RuntimeExport("RhNewString")]
        private static object RhNewString(Internal.Runtime.MethodTable* type, int length) => Internal.Runtime.RuntimeAllocator.NewArray(type, length);

        [RuntimeExport("RhpThrowEx")]
        private static void RhpThrowEx(Exception ex) => Panic.Halt(ex.Message);

        [RuntimeExport("RhpRethrow")]
        private static void RhpRethrow() => Panic.Halt("rethrow");

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast() => Panic.Halt("fail fast");

        [RuntimeExport("RhpPInvoke")]
        private static void RhpPInvoke(IntPtr frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        private static void RhpPInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvoke")]
        private static void RhpReversePInvoke(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void RhpReversePInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpGcPoll")]
        private static void RhpGcPoll() { }

        [RuntimeExport("memset")]
        private static void* MemSet(byte* dst, int value, nuint count)
        {
            Memory.Fill(dst, (byte)value, count);
            return dst;
        }

        [RuntimeExport("memcpy")]
        private static void* MemCpy(byte* dst, byte* src, nuint count)
        {
            Memory.Copy(dst, src, count);
            return dst;
        }

        [RuntimeExport("memmove")]
        private static void* MemMove(byte* dst, byte* src, nuint count)
        {
            Memory.Move(dst, src, count);
            return dst;
        }
    }
}

namespace Internal.Runtime
{
    /// <summary>Number to string for the primitives' ToString (formatting logic: Services/Text/NumberFormat).</summary>
    internal static unsafe class Text
    {
        internal static string Decimal(long value)
        {
            char* buf = stackalloc char[Kernel.Services.Text.NumberFormat.MaxChars];
            int n = Kernel.Services.Text.NumberFormat.FormatDecimal(value, new Span<char>(buf, Kernel.Services.Text.NumberFormat.MaxChars));
            return FromChars(buf, n);
        }

        internal static string Unsigned(ulong value)
        {
            char* buf = stackalloc char[Kernel.Services.Text.NumberFormat.MaxChars];
            int n = Kernel.Services.Text.NumberFormat.FormatUnsigned(value, new Span<char>(buf, Kernel.Services.Text.NumberFormat.MaxChars));
            return FromChars(buf, n);
        }

        internal static string FromChars(char* chars, int count)
        {
            string s = RuntimeAllocator.NewString(count);
            fixed (char* d = &s.FirstCharRef)
            {
                for (int i = 0; i < count; i++)
                {
                    d[i] = chars[i];
                }
            }
            return s;
        }
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    internal static class LdTokenHelpers
    {
        private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr pHandleSignature)
        {
            RuntimeFieldHandle h = default;
            h._value = pHandleSignature;
            return h;
        }

        private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr pHandleSignature)
        {
            RuntimeMethodHandle h = default;
            h._value = pHandleSignature;
            return h;
        }
    }
}
