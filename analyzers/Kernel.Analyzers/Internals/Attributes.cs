using System;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Attribute look-ups by simple name in any namespace: kernels compiled with their own corelib declare their own
/// <c>MayReturnNull</c>, <c>DoesNotReturn</c> and friends, so a well-known type may not exist at all.
/// </summary>
internal static class Attributes
{
    public static bool Has(ISymbol symbol, string simpleName) => Find(symbol.GetAttributes(), simpleName) is not null;

    public static bool ReturnHas(IMethodSymbol method, string simpleName) =>
        Find(method.GetReturnTypeAttributes(), simpleName) is not null;

    public static AttributeData? Find(ISymbol symbol, string simpleName) => Find(symbol.GetAttributes(), simpleName);

    /// <summary>The first constructor argument as a boolean, as in <c>[DoesNotReturnIf(false)]</c>.</summary>
    public static bool? BoolArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is bool value ? value : null;

    private static AttributeData? Find(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, string simpleName)
    {
        foreach (var attribute in attributes)
        {
            var name = attribute.AttributeClass?.Name;
            if (name is null)
            {
                continue;
            }

            if (string.Equals(name, simpleName, StringComparison.Ordinal) ||
                (name.Length == simpleName.Length + "Attribute".Length &&
                 name.StartsWith(simpleName, StringComparison.Ordinal) &&
                 name.EndsWith("Attribute", StringComparison.Ordinal)))
            {
                return attribute;
            }
        }

        return null;
    }
}
