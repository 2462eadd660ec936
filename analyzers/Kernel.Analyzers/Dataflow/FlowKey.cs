using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Dataflow;

/// <summary>
/// A storage location the engine tracks: a local, a parameter, a field of <c>this</c> or a static field, a field or
/// property of a tracked location (<c>conn.Pcb</c>), or one of the control flow graph's flow captures. Rules that
/// treat a call or an element read as an access path (<c>proc.Vmar()</c>, <c>slots[i]</c>) build keys for them with
/// <see cref="ForAccess"/>; <see cref="For"/> never returns such keys.
/// </summary>
public sealed class FlowKey : IEquatable<FlowKey>
{
    private const int MaxPathLength = 3;

    private readonly ISymbol? symbol;
    private readonly CaptureId? capture;
    private readonly FlowKey? instance;
    private readonly string? discriminator;
    private readonly int hash;
    private readonly SyntaxNode? nameSyntax;
    private string? name;

    private FlowKey(ISymbol? symbol, CaptureId? capture, FlowKey? instance, string? name, string? discriminator = null, SyntaxNode? nameSyntax = null)
    {
        this.symbol = symbol;
        this.capture = capture;
        this.instance = instance;
        this.discriminator = discriminator;
        this.name = name;
        this.nameSyntax = nameSyntax;
        hash = HashCode(symbol, capture, instance, discriminator);
    }

    /// <summary>How the location reads in a message (<c>pcb</c>, <c>conn.Pcb</c>).</summary>
    /// <remarks>
    /// Computed on first use: a capture's syntax can be a long prefix of an expression chain, and keys are made for
    /// every operation the engine visits, so an eager name would make long expressions quadratic.
    /// </remarks>
    public string Name => name ??= nameSyntax?.ToString() ?? (instance is null ? symbol?.Name ?? string.Empty : instance.Name + "." + symbol?.Name);

    /// <summary>The local, parameter or member, when the key is not a flow capture.</summary>
    public ISymbol? Symbol => symbol;

    /// <summary>The location whose member this is, or null for a root.</summary>
    public FlowKey? Instance => instance;

    public int Depth => instance is null ? 0 : instance.Depth + 1;

    /// <summary>The key an operation reads or writes, or null when it is not a tracked location.</summary>
    public static FlowKey? For(IOperation? operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return new FlowKey(local.Local, null, null, local.Local.Name);
            case IParameterReferenceOperation parameter:
                return new FlowKey(parameter.Parameter, null, null, parameter.Parameter.Name);
            case IFlowCaptureReferenceOperation reference:
                return new FlowKey(null, reference.Id, null, null, nameSyntax: reference.Syntax);
            case IFieldReferenceOperation field:
                return Member(field.Field, field.Instance);
            case IPropertyReferenceOperation property when property.Arguments.IsEmpty:
                return Member(property.Property, property.Instance);
            case IConversionOperation { Conversion.IsUserDefined: false } conversion:
                return For(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return For(parenthesized.Operand);
            default:
                return null;
        }
    }

    /// <summary>The key of a flow capture definition.</summary>
    public static FlowKey ForCapture(IFlowCaptureOperation capture) =>
        new(null, capture.Id, null, null, nameSyntax: capture.Value.Syntax);

    public static FlowKey ForSymbol(ISymbol symbol) => new(symbol, null, null, symbol.Name);

    /// <summary>
    /// The key of an access path that <see cref="For"/> does not model: a call (<paramref name="member"/> the method,
    /// <paramref name="discriminator"/> its arguments as text) or an element (<paramref name="member"/> null,
    /// <paramref name="discriminator"/> the index). Null when the path would be deeper than the engine tracks.
    /// </summary>
    public static FlowKey? ForAccess(ISymbol? member, FlowKey? instance, string discriminator, string name)
    {
        if (instance is not null && instance.Depth >= MaxPathLength)
        {
            return null;
        }

        return new FlowKey(member, null, instance, name, discriminator);
    }

    public bool Equals(FlowKey? other) =>
        other is not null &&
        hash == other.hash &&
        SymbolEqualityComparer.Default.Equals(symbol, other.symbol) &&
        Nullable.Equals(capture, other.capture) &&
        string.Equals(discriminator, other.discriminator, StringComparison.Ordinal) &&
        Equals(instance, other.instance);

    public override bool Equals(object? obj) => Equals(obj as FlowKey);

    public override int GetHashCode() => hash;

    public override string ToString() => Name;

    private static FlowKey? Member(ISymbol member, IOperation? instance)
    {
        if (member.IsStatic || instance is null or IInstanceReferenceOperation)
        {
            return new FlowKey(member, null, null, member.Name);
        }

        var owner = For(instance);
        if (owner is null || owner.Depth >= MaxPathLength)
        {
            return null;
        }

        return new FlowKey(member, null, owner, null);
    }

    private static int HashCode(ISymbol? symbol, CaptureId? capture, FlowKey? instance, string? discriminator)
    {
        unchecked
        {
            var hash = symbol is null ? 17 : SymbolEqualityComparer.Default.GetHashCode(symbol);
            hash = (hash * 31) + (capture?.GetHashCode() ?? 0);
            hash = (hash * 31) + (discriminator is null ? 0 : StringComparer.Ordinal.GetHashCode(discriminator));
            return (hash * 31) + (instance?.hash ?? 0);
        }
    }
}
