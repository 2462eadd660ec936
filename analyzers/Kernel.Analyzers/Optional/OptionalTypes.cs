using System;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Optional;

/// <summary>How a type reads as an optional: <c>Nullable&lt;T&gt;</c>, or a type with a presence test and an unwrap.</summary>
public sealed class OptionalShape
{
    public static readonly OptionalShape Nullable = new(isNullable: true, presenceMember: "HasValue", presenceMeansPresent: true, tryUnwrap: null, isValueType: true);

    public OptionalShape(bool isNullable, string presenceMember, bool presenceMeansPresent, string? tryUnwrap, bool isValueType)
    {
        IsNullable = isNullable;
        PresenceMember = presenceMember;
        PresenceMeansPresent = presenceMeansPresent;
        TryUnwrap = tryUnwrap;
        IsValueType = isValueType;
    }

    /// <summary><c>Nullable&lt;T&gt;</c>: <c>is { } v</c> unwraps it and <c>(T)o</c> is an unwrap.</summary>
    public bool IsNullable { get; }

    /// <summary>The presence test a fix writes (<c>HasValue</c>, <c>IsSome</c>, <c>IsNone</c>, ...).</summary>
    public string PresenceMember { get; }

    /// <summary>True when the presence test is true for a present value (<c>IsSome</c>), false for <c>IsNone</c>/<c>IsEmpty</c>.</summary>
    public bool PresenceMeansPresent { get; }

    /// <summary>A <c>bool TryUnwrap(out T)</c>/<c>TryGet...(out T)</c> method of the type, if it has one.</summary>
    public string? TryUnwrap { get; }

    public bool IsValueType { get; }
}

/// <summary>
/// Recognises optional types (KRN003/KRN004) by shape, never by a well-known type lookup: <c>Nullable&lt;T&gt;</c> by its
/// special type (a kernel's own corelib may not have one), and any type with a <c>bool</c> presence member
/// (<c>HasValue</c>, <c>IsSome</c>, <c>IsPresent</c>, <c>IsNone</c>, <c>IsEmpty</c>) and an unwrap member (<c>Value</c>,
/// <c>Unwrap()</c>, <c>Expect(..)</c>, <c>Get()</c>), or marked with an attribute named <c>OptionalResource</c>.
/// Shapes are cached per compilation.
/// </summary>
public sealed class OptionalTypes
{
    private static readonly OptionalShape NoShape = new(false, string.Empty, true, null, false);

    private readonly SharedCache<ITypeSymbol, OptionalShape> shapes = new(SymbolEqualityComparer.Default);

    /// <summary>The optional shape of <paramref name="type"/>, or null when it is not an optional type.</summary>
    public OptionalShape? ShapeOf(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named || named.TypeKind is TypeKind.Error or TypeKind.Interface or TypeKind.Delegate)
        {
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return OptionalShape.Nullable;
        }

        if (named.SpecialType != SpecialType.None)
        {
            return null;
        }

        var shape = shapes.GetOrAdd(named.OriginalDefinition, Compute);
        return ReferenceEquals(shape, NoShape) ? null : shape;
    }

    /// <summary>True for a presence test: a <c>bool</c> property, field or parameterless method with a presence name.</summary>
    public static bool IsPresenceMember(ISymbol member, out bool meansPresent)
    {
        meansPresent = true;
        switch (member.Name)
        {
            case "HasValue" or "IsSome" or "IsPresent":
                break;
            case "IsNone" or "IsEmpty":
                meansPresent = false;
                break;
            default:
                return false;
        }

        return member switch
        {
            IPropertySymbol property => property.Parameters.IsEmpty && property.Type.SpecialType == SpecialType.System_Boolean,
            IFieldSymbol field => field.Type.SpecialType == SpecialType.System_Boolean,
            IMethodSymbol method => method.Parameters.IsEmpty && method.ReturnType.SpecialType == SpecialType.System_Boolean,
            _ => false,
        };
    }

    /// <summary>True for an unwrap member: the <c>Value</c> property, <c>Unwrap()</c>, <c>Expect(..)</c>, <c>Get()</c>.</summary>
    public static bool IsUnwrapMember(ISymbol member)
    {
        switch (member)
        {
            case IPropertySymbol property:
                // A Value anyone may set (XElement.Value) is a container's content, not an optional's unwrap.
                return property.Name == "Value" && property.Parameters.IsEmpty &&
                       property.SetMethod is not { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false };
            case IFieldSymbol field:
                return field.Name == "Value" && !field.IsStatic;
            case IMethodSymbol method when !method.ReturnsVoid:
                var parameters = method.IsExtensionMethod && method.ReducedFrom is null ? method.Parameters.Length - 1 : method.Parameters.Length;
                return method.Name switch
                {
                    "Unwrap" or "Get" => parameters == 0,
                    "Expect" => true,
                    _ => false,
                };
            default:
                return false;
        }
    }

    /// <summary>True for <c>bool TryUnwrap(out T)</c> and <c>bool TryGet...(out T)</c>.</summary>
    public static bool IsTryUnwrap(IMethodSymbol method)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Boolean ||
            !(method.Name.StartsWith("TryUnwrap", StringComparison.Ordinal) || method.Name.StartsWith("TryGet", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out)
            {
                return true;
            }
        }

        return false;
    }

    private static OptionalShape Compute(ITypeSymbol type)
    {
        string? presence = null;
        var presenceMeansPresent = true;
        string? tryUnwrap = null;
        var hasUnwrap = false;
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility is Accessibility.Private)
                {
                    continue;
                }

                if (presence is null && IsPresenceMember(member, out var meansPresent))
                {
                    presence = member.Name;
                    presenceMeansPresent = meansPresent;
                }
                else if (!hasUnwrap && IsUnwrapMember(member))
                {
                    hasUnwrap = true;
                }
                else if (tryUnwrap is null && member is IMethodSymbol method && IsTryUnwrap(method) && method.Parameters.Length == 1)
                {
                    tryUnwrap = method.Name;
                }
            }
        }

        var marked = Attributes.Has(type, "OptionalResource");
        if ((presence is null || !hasUnwrap) && !marked)
        {
            return NoShape;
        }

        return new OptionalShape(isNullable: false, presence ?? "HasValue", presenceMeansPresent, tryUnwrap, type.IsValueType);
    }
}
