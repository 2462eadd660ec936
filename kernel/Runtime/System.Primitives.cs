// The kernel's own corelib: the primitive types the compiler and ilc need. No BCL is referenced.
// Only what the kernel uses is here; every method is written for this kernel.
namespace System
{
    public class Object
    {
        // The layout of object is a contract with the compiler: the MethodTable pointer comes first.
#pragma warning disable CS0169, CS0649
        internal unsafe Internal.Runtime.MethodTable* m_pMethodTable;
#pragma warning restore CS0169, CS0649

        public Object() { }

        ~Object() { }

        public virtual bool Equals(object? obj) => ReferenceEquals(this, obj);

        public virtual int GetHashCode() => 0;

        public virtual string ToString() => "object";

        public static bool ReferenceEquals(object? a, object? b) => a == b;
    }

    public struct Void { }

    public abstract class ValueType
    {
    }

    public abstract class Enum : ValueType
    {
    }

    public struct Boolean
    {
        public const string TrueLiteral = "True";
        public const string FalseLiteral = "False";
        public override string ToString() => this ? TrueLiteral : FalseLiteral;
    }

    public struct Char
    {
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
    }

    public struct SByte
    {
        public override string ToString() => Internal.Runtime.Text.Decimal((long)(sbyte)this);
    }

    public struct Byte
    {
        public override string ToString() => Internal.Runtime.Text.Unsigned((ulong)(byte)this);
        public const byte MaxValue = 0xFF;
        public const byte MinValue = 0;
    }

    public struct Int16
    {
        public override string ToString() => Internal.Runtime.Text.Decimal((long)(short)this);
    }

    public struct UInt16
    {
        public override string ToString() => Internal.Runtime.Text.Unsigned((ulong)(ushort)this);
        public const ushort MaxValue = 0xFFFF;
    }

    public struct Int32
    {
        public override string ToString() => Internal.Runtime.Text.Decimal((long)(int)this);
        public const int MaxValue = 0x7FFFFFFF;
        public const int MinValue = unchecked((int)0x80000000);
    }

    public struct UInt32
    {
        public override string ToString() => Internal.Runtime.Text.Unsigned((ulong)(uint)this);
        public const uint MaxValue = 0xFFFFFFFF;
    }

    public struct Int64
    {
        public override string ToString() => Internal.Runtime.Text.Decimal((long)(long)this);
        public const long MaxValue = 0x7FFFFFFFFFFFFFFF;
        public const long MinValue = unchecked((long)0x8000000000000000);
    }

    public struct UInt64
    {
        public override string ToString() => Internal.Runtime.Text.Unsigned((ulong)(ulong)this);
        public const ulong MaxValue = 0xFFFFFFFFFFFFFFFF;
    }

    public struct Single { }

    public struct Double { }

    public unsafe struct IntPtr
    {
#pragma warning disable CS0169, CS0649
        private void* _value;
#pragma warning restore CS0169, CS0649

        public static readonly IntPtr Zero;

        public IntPtr(void* value) { _value = value; }

        public IntPtr(long value) { _value = (void*)value; }

        public void* ToPointer() => _value;

        public static explicit operator IntPtr(void* value) => new IntPtr(value);

        public static explicit operator void*(IntPtr value) => value._value;

        public static explicit operator long(IntPtr value) => (long)value._value;
    }

    public unsafe struct UIntPtr
    {
#pragma warning disable CS0169, CS0649
        private void* _value;
#pragma warning restore CS0169, CS0649

        public UIntPtr(void* value) { _value = value; }
    }

    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        private T value;

        public Nullable(T value)
        {
            this.value = value;
            hasValue = true;
        }

        public readonly bool HasValue => hasValue;

        public readonly T Value
        {
            get
            {
                if (!hasValue)
                {
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidOperationException();
                }
                return value;
            }
        }

        public readonly T GetValueOrDefault() => value;

        public static implicit operator T?(T value) => new T?(value);

        public static explicit operator T(T? value)
        {
            if (!value.hasValue)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidOperationException();
            }
            return value.value;
        }
    }

    public struct RuntimeTypeHandle
    {
#pragma warning disable CS0649
        internal IntPtr _value;
#pragma warning restore CS0649
    }

    public struct RuntimeMethodHandle
    {
#pragma warning disable CS0649
        internal IntPtr _value;
#pragma warning restore CS0649
    }

    public struct RuntimeFieldHandle
    {
#pragma warning disable CS0649
        internal IntPtr _value;
#pragma warning restore CS0649
    }

    public abstract class Type
    {
    }

    internal sealed class RuntimeType : Type
    {
    }

    public sealed class String
    {
        // Layout contract with the compiler: length, then the characters (NUL terminated).
#pragma warning disable CS0169, CS0649
        private readonly int _stringLength;
        private char _firstChar;
#pragma warning restore CS0169, CS0649

        public static readonly string Empty = "";

        public int Length => _stringLength;

        [System.Runtime.CompilerServices.IndexerName("Chars")]
        public unsafe char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                {
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                }
                fixed (char* p = &_firstChar)
                {
                    return p[index];
                }
            }
        }

        public ref readonly char GetPinnableReference() => ref _firstChar;

        public static bool operator ==(string? a, string? b) => Equals(a, b);

        public static bool operator !=(string? a, string? b) => !Equals(a, b);

        public override bool Equals(object? obj) => obj is string s && Equals(this, s);

        public override int GetHashCode()
        {
            int h = 5381;
            for (int i = 0; i < _stringLength; i++)
            {
                h = unchecked((h * 33) ^ this[i]);
            }
            return h;
        }

        public override string ToString() => this;

        public static bool Equals(string? a, string? b)
        {
            if ((object?)a == b)
            {
                return true;
            }
            if (a is null || b is null || a._stringLength != b._stringLength)
            {
                return false;
            }
            for (int i = 0; i < a._stringLength; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }
            return true;
        }

        public bool StartsWith(string prefix)
        {
            if (prefix._stringLength > _stringLength)
            {
                return false;
            }
            for (int i = 0; i < prefix._stringLength; i++)
            {
                if (this[i] != prefix[i])
                {
                    return false;
                }
            }
            return true;
        }

        public static string Concat(string? a, string? b)
        {
            a ??= Empty;
            b ??= Empty;
            string r = Internal.Runtime.RuntimeAllocator.NewString(a._stringLength + b._stringLength);
            unsafe
            {
                fixed (char* d = &r._firstChar)
                {
                    for (int i = 0; i < a._stringLength; i++) { d[i] = a[i]; }
                    for (int i = 0; i < b._stringLength; i++) { d[a._stringLength + i] = b[i]; }
                }
            }
            return r;
        }

        public static string Concat(string? a, string? b, string? c) => Concat(Concat(a, b), c);

        public static string Concat(string? a, string? b, string? c, string? d) => Concat(Concat(a, b), Concat(c, d));

        public static string Concat(params string?[] values)
        {
            string r = Empty;
            for (int i = 0; i < values.Length; i++)
            {
                r = Concat(r, values[i]);
            }
            return r;
        }

        public string Substring(int start, int length)
        {
            if (start < 0 || length < 0 || start + length > _stringLength)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            }
            string r = Internal.Runtime.RuntimeAllocator.NewString(length);
            unsafe
            {
                fixed (char* d = &r._firstChar)
                {
                    for (int i = 0; i < length; i++) { d[i] = this[start + i]; }
                }
            }
            return r;
        }

        public string Substring(int start) => Substring(start, _stringLength - start);

        public int IndexOf(char c)
        {
            for (int i = 0; i < _stringLength; i++)
            {
                if (this[i] == c)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>Builds a string from raw characters (used by the allocator-backed helpers).</summary>
        internal unsafe ref char FirstCharRef => ref _firstChar;
    }

    public abstract class Array : System.Collections.IEnumerable
    {
        public System.Collections.IEnumerator GetEnumerator()
        {
            Kernel.Core.Panic.Halt("Array.GetEnumerator is not supported");
            return null!;
        }

        // Layout contract with the compiler: the element count follows the MethodTable pointer.
#pragma warning disable CS0169, CS0649
        private readonly int _numComponents;
#pragma warning restore CS0169, CS0649

        public int Length => _numComponents;
    }

    // The compiler uses Array<T> as the base of T[] for generic array support.
    public class Array<T> : Array
    {
    }

    public abstract class Delegate
    {
        // Layout contract with the compiler (delegate construction helpers fill these).
        internal object? _firstParameter;
        internal object? _helperObject;
        internal IntPtr _extraFunctionPointerOrData;
        internal IntPtr _functionPointer;

        // Called by compiler-generated delegate constructors.
        private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _extraFunctionPointerOrData = functionPointer;
            _helperObject = firstParameter;
            _functionPointer = functionPointerThunk;
            _firstParameter = this;
        }

        private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }

        private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }
    }

    public abstract class MulticastDelegate : Delegate
    {
    }

    public delegate void Action();

    public delegate void Action<in T>(T arg);

    public delegate TResult Func<out TResult>();

    public delegate TResult Func<in T, out TResult>(T arg);

    public class Exception
    {
        public Exception() { Message = "exception"; }

        public Exception(string message) { Message = message; }

        public string Message { get; }
    }

    public sealed class InvalidOperationException : Exception
    {
        public InvalidOperationException() : base("invalid operation") { }
    }

    public abstract class Attribute
    {
    }

    [Flags]
    public enum AttributeTargets
    {
        Assembly = 0x0001,
        Module = 0x0002,
        Class = 0x0004,
        Struct = 0x0008,
        Enum = 0x0010,
        Constructor = 0x0020,
        Method = 0x0040,
        Property = 0x0080,
        Field = 0x0100,
        Event = 0x0200,
        Interface = 0x0400,
        Parameter = 0x0800,
        Delegate = 0x1000,
        ReturnValue = 0x2000,
        GenericParameter = 0x4000,
        All = 0x7FFF,
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { ValidOn = validOn; }

        public AttributeTargets ValidOn { get; }

        public bool AllowMultiple { get; set; }

        public bool Inherited { get; set; }
    }

    [AttributeUsage(AttributeTargets.Enum)]
    public sealed class FlagsAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ParamArrayAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.All)]
    public sealed class ObsoleteAttribute : Attribute
    {
        public ObsoleteAttribute() { }

        public ObsoleteAttribute(string message) { _ = message; }
    }

    public interface IDisposable
    {
        void Dispose();
    }

    public ref struct Span<T>
    {
        private readonly ref T _reference;
        private readonly int _stringLength;

        public unsafe Span(void* pointer, int length)
        {
            _reference = ref System.Runtime.CompilerServices.Unsafe.AsRef<T>(pointer);
            _stringLength = length;
        }

        public Span(T[] array)
        {
            _reference = ref System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref System.Runtime.CompilerServices.Unsafe.As<Internal.Runtime.RawArrayData>(array).Data);
            _stringLength = array.Length;
        }

        public int Length => _stringLength;

        public ref T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                {
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                }
                return ref System.Runtime.CompilerServices.Unsafe.Add(ref _reference, index);
            }
        }

        public static implicit operator ReadOnlySpan<T>(Span<T> s) => new ReadOnlySpan<T>(ref s._reference, s._stringLength);
    }

    public readonly ref struct ReadOnlySpan<T>
    {
        private readonly ref T _reference;
        private readonly int _stringLength;

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            _reference = ref System.Runtime.CompilerServices.Unsafe.AsRef<T>(pointer);
            _stringLength = length;
        }

        internal ReadOnlySpan(ref T reference, int length)
        {
            _reference = ref reference;
            _stringLength = length;
        }

        public int Length => _stringLength;

        public ref readonly T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                {
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                }
                return ref System.Runtime.CompilerServices.Unsafe.Add(ref _reference, index);
            }
        }
    }
}

namespace System.Collections
{
    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }

    public interface IEnumerator
    {
        object? Current { get; }

        bool MoveNext();
    }
}
