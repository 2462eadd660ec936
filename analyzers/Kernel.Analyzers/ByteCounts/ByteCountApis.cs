using System;
using System.Collections.Generic;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.ByteCounts;

/// <summary>Whether a call delivers (reads) or accepts (writes) bytes and returns how many.</summary>
public enum ByteCountKind
{
    None,
    Read,
    Write,
}

/// <summary>The shape of a read-like or write-like method: where its buffer, offset and requested length are.</summary>
public sealed class ByteCountApi
{
    public static readonly ByteCountApi NotByteCount = new(ByteCountKind.None, -1, -1, -1, isAsync: false);

    public ByteCountApi(ByteCountKind kind, int buffer, int offset, int length, bool isAsync)
    {
        Kind = kind;
        Buffer = buffer;
        Offset = offset;
        Length = length;
        IsAsync = isAsync;
    }

    public ByteCountKind Kind { get; }

    /// <summary>Ordinal of the buffer parameter (array, span, memory, pointer), or -1.</summary>
    public int Buffer { get; }

    /// <summary>Ordinal of the offset parameter between the buffer and the length, or -1.</summary>
    public int Offset { get; }

    /// <summary>Ordinal of the requested-length parameter, or -1 (a span or an array carries its own length).</summary>
    public int Length { get; }

    /// <summary>The count comes back in a <c>Task</c>/<c>ValueTask</c>.</summary>
    public bool IsAsync { get; }
}

/// <summary>
/// Recognises read-like and write-like calls: named <c>Read</c>, <c>Recv</c>, <c>Receive</c>, <c>tcp_read</c>,
/// <c>Write</c>, <c>Send</c>, <c>tcp_write</c> (any case, an optional <c>Async</c>) or marked with an attribute named
/// <c>ReturnsByteCount</c>, that take a buffer and return an integer count. Helpers that fill completely
/// (<c>ReadExactly</c>, <c>ReadAtLeast</c>, <c>ReadFully</c>, <c>SendAll</c>) have other last words and are not matched.
/// </summary>
public sealed class ByteCountApis
{
    private static readonly string[] ReadWords = { "read", "recv", "receive", "recvfrom", "recvmsg", "pread", "readv" };
    private static readonly string[] WriteWords = { "write", "send", "sendto", "sendmsg", "pwrite", "writev" };
    private static readonly string[] LengthNames = { "count", "len", "length", "size", "n", "nbytes", "nbyte", "bytes", "max", "maxlen" };

    private readonly SharedCache<IMethodSymbol, ByteCountApi> cache = new(SymbolEqualityComparer.Default);

    public ByteCountApi Classify(IMethodSymbol method) =>
        cache.GetOrAdd(method.ReducedFrom ?? method.OriginalDefinition, Compute);

    private static ByteCountApi Compute(IMethodSymbol method)
    {
        var attributed = Attributes.Has(method, "ReturnsByteCount") || Attributes.ReturnHas(method, "ReturnsByteCount");
        var kind = KindByName(method.Name);
        if (kind == ByteCountKind.None && !attributed)
        {
            return ByteCountApi.NotByteCount;
        }

        if (kind == ByteCountKind.None)
        {
            kind = ByteCountKind.Read;
        }

        if (!ReturnsCount(method.ReturnType, out var isAsync))
        {
            return ByteCountApi.NotByteCount;
        }

        var parameters = method.Parameters;
        var buffer = -1;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].RefKind is RefKind.None or RefKind.In && IsBuffer(parameters[i].Type, kind))
            {
                buffer = i;
                break;
            }
        }

        if (buffer < 0 && !attributed)
        {
            return ByteCountApi.NotByteCount;
        }

        var integers = new List<int>();
        for (var i = buffer + 1; i < parameters.Length && buffer >= 0; i++)
        {
            if (parameters[i].RefKind == RefKind.None && IsInteger(parameters[i].Type))
            {
                integers.Add(i);
            }
            else
            {
                break;
            }
        }

        var offset = -1;
        var length = -1;
        if (integers.Count >= 2)
        {
            offset = integers[0];
            length = integers[1];
        }
        else if (integers.Count == 1)
        {
            length = integers[0];
        }
        else if (buffer >= 0)
        {
            // A length elsewhere in the list, by name (recv(fd, buf, flags, len) shapes are rare, names are not).
            for (var i = 0; i < parameters.Length; i++)
            {
                if (i != buffer && IsInteger(parameters[i].Type) && Array.IndexOf(LengthNames, parameters[i].Name.ToLowerInvariant()) >= 0)
                {
                    length = i;
                    break;
                }
            }
        }

        if (buffer >= 0 && parameters[buffer].Type is IPointerTypeSymbol && length < 0 && !attributed)
        {
            // A pointer without a length is a register or a value, not a buffer.
            return ByteCountApi.NotByteCount;
        }

        return new ByteCountApi(kind, buffer, offset, length, isAsync);
    }

    private static ByteCountKind KindByName(string name)
    {
        var words = NameWords.Split(name);
        if (words.Count > 1 && string.Equals(words[words.Count - 1], "async", StringComparison.OrdinalIgnoreCase))
        {
            words.RemoveAt(words.Count - 1);
        }

        if (words.Count > 1 && string.Equals(words[words.Count - 1], "from", StringComparison.OrdinalIgnoreCase))
        {
            words.RemoveAt(words.Count - 1);
        }

        if (words.Count == 0)
        {
            return ByteCountKind.None;
        }

        var last = words[words.Count - 1].ToLowerInvariant();
        if (Array.IndexOf(ReadWords, last) >= 0)
        {
            return ByteCountKind.Read;
        }

        return Array.IndexOf(WriteWords, last) >= 0 ? ByteCountKind.Write : ByteCountKind.None;
    }

    private static bool ReturnsCount(ITypeSymbol type, out bool isAsync)
    {
        isAsync = false;
        if (IsCountType(type))
        {
            return true;
        }

        if (type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task && IsCountType(task.TypeArguments[0]))
        {
            isAsync = true;
            return true;
        }

        return false;
    }

    /// <summary>An integer wide enough to be a count: 32 or 64 bits or native (a <c>sbyte</c> <c>err_t</c> is an error code).</summary>
    private static bool IsCountType(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
        SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    public static bool IsInteger(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
        SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_Int16 or SpecialType.System_UInt16;

    private static bool IsBuffer(ITypeSymbol type, ByteCountKind kind) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } => true,
        IPointerTypeSymbol => true,
        INamedTypeSymbol { Name: "Span" or "Memory" or "ArraySegment", TypeArguments.Length: 1 } => true,
        INamedTypeSymbol { Name: "ReadOnlySpan" or "ReadOnlyMemory", TypeArguments.Length: 1 } => kind == ByteCountKind.Write,
        _ => false,
    };
}
