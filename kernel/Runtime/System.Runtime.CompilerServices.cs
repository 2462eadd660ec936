// Compiler-facing attributes and intrinsics of the kernel corelib.
namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    internal sealed class IntrinsicAttribute : Attribute { }

    public enum MethodImplOptions
    {
        Unmanaged = 0x0004,
        NoInlining = 0x0008,
        NoOptimization = 0x0040,
        AggressiveInlining = 0x0100,
        AggressiveOptimization = 0x0200,
        InternalCall = 0x1000,
    }

    [AttributeUsage(AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { Value = methodImplOptions; }

        public MethodImplOptions Value { get; }
    }

    [AttributeUsage(AttributeTargets.Property, Inherited = true)]
    public sealed class IndexerNameAttribute : Attribute
    {
        public IndexerNameAttribute(string indexerName) { _ = indexerName; }
    }

    [AttributeUsage(AttributeTargets.Struct)]
    public sealed class IsByRefLikeAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    public sealed class IsReadOnlyAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Property)]
    public sealed class ExtensionAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class ModuleInitializerAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class FixedBufferAttribute : Attribute
    {
        public FixedBufferAttribute(Type elementType, int length) { _ = elementType; _ = length; }
    }

    [AttributeUsage(AttributeTargets.Struct)]
    public sealed class InlineArrayAttribute : Attribute
    {
        public InlineArrayAttribute(int length) { Length = length; }

        public int Length { get; }
    }

    public static class IsVolatile { }

    public static class IsConst { }

    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    public sealed class CompilerGeneratedAttribute : Attribute { }

    public static class RuntimeFeature
    {
        public const string ByRefFields = nameof(ByRefFields);
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
        public const string NumericIntPtr = nameof(NumericIntPtr);
        public const string ByRefLikeGenerics = nameof(ByRefLikeGenerics);
    }

    public static class RuntimeHelpers
    {
        public static int OffsetToStringData => 12;

        // The compiler expands `ldtoken <rva field>; call InitializeArray` to a copy of the data; a call that
        // reaches here was not expanded.
        [Intrinsic]
        public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle)
        {
            Kernel.Core.Panic.Halt("RuntimeHelpers.InitializeArray was not expanded by the compiler");
        }

        [Intrinsic]
        public static bool IsReferenceOrContainsReferences<T>() => false;
    }

    // Method bodies are replaced by ilc's own IL for these intrinsics (matched by type and method name).
    public static unsafe class Unsafe
    {
        [Intrinsic]
        public static void* AsPointer<T>(ref T value) => throw null!;

        [Intrinsic]
        public static ref T AsRef<T>(void* source) => throw null!;

        [Intrinsic]
        public static ref T AsRef<T>(scoped ref readonly T source) => throw null!;

        [Intrinsic]
        public static T As<T>(object? o) where T : class? => throw null!;

        [Intrinsic]
        public static ref TTo As<TFrom, TTo>(ref TFrom source) => throw null!;

        [Intrinsic]
        public static ref T Add<T>(ref T source, int elementOffset) => throw null!;

        [Intrinsic]
        public static ref T AddByteOffset<T>(ref T source, nuint byteOffset) => throw null!;

        [Intrinsic]
        public static int SizeOf<T>() => throw null!;

        [Intrinsic]
        public static bool AreSame<T>(ref readonly T left, ref readonly T right) => throw null!;

        [Intrinsic]
        public static bool IsNullRef<T>(ref readonly T source) => throw null!;

        [Intrinsic]
        public static ref T NullRef<T>() => throw null!;

        [Intrinsic]
        public static T Read<T>(void* source) => throw null!;

        [Intrinsic]
        public static void Write<T>(void* destination, T value) => throw null!;
    }
}

namespace System.Runtime.InteropServices
{
    public enum LayoutKind
    {
        Sequential = 0,
        Explicit = 2,
        Auto = 3,
    }

    public enum CharSet
    {
        None = 1,
        Ansi = 2,
        Unicode = 3,
        Auto = 4,
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public StructLayoutAttribute(LayoutKind layoutKind) { Value = layoutKind; }

        public LayoutKind Value { get; }

        public int Pack;
        public int Size;
        public CharSet CharSet;
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { Value = offset; }

        public int Value { get; }
    }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class InAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class OutAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public Type[]? CallConvs;
        public string? EntryPoint;
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DllImportAttribute : Attribute
    {
        public DllImportAttribute(string dllName) { Value = dllName; }

        public string Value { get; }

        public string? EntryPoint;
    }
}

namespace System.Runtime
{
    // ilc exports a method marked with this under the given symbol name.
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { _ = entry; }
    }

    // ilc calls the named native symbol directly (no marshalling, no transition).
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string lib, string entry) { _ = lib; _ = entry; }
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DoesNotReturnAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class DoesNotReturnIfAttribute : Attribute
    {
        public DoesNotReturnIfAttribute(bool parameterValue) { ParameterValue = parameterValue; }

        public bool ParameterValue { get; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.ReturnValue, Inherited = false)]
    public sealed class NotNullAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.ReturnValue, Inherited = false)]
    public sealed class MaybeNullAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class NotNullWhenAttribute : Attribute
    {
        public NotNullWhenAttribute(bool returnValue) { ReturnValue = returnValue; }

        public bool ReturnValue { get; }
    }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class MaybeNullWhenAttribute : Attribute
    {
        public MaybeNullWhenAttribute(bool returnValue) { ReturnValue = returnValue; }

        public bool ReturnValue { get; }
    }

    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false, AllowMultiple = true)]
    public sealed class MemberNotNullAttribute : Attribute
    {
        public MemberNotNullAttribute(string member) { Members = new string[] { member }; }

        public string[] Members { get; }
    }
}

namespace System.Reflection
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface)]
    public sealed class DefaultMemberAttribute : Attribute
    {
        public DefaultMemberAttribute(string memberName) { MemberName = memberName; }

        public string MemberName { get; }
    }
}

namespace System.Runtime.InteropServices
{
    // ilc requires the type to exist in the system module; the kernel never implements it.
    public interface IDynamicInterfaceCastable
    {
        bool IsInterfaceImplemented(RuntimeTypeHandle interfaceType, bool throwIfNotImplemented);

        RuntimeTypeHandle GetInterfaceImplementation(RuntimeTypeHandle interfaceType);

        internal static IntPtr GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, IntPtr interfaceType, ushort slot)
        {
            Kernel.Core.Panic.Halt("IDynamicInterfaceCastable is not supported");
            return default;
        }
    }
}
