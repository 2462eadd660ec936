using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>How the per-method caches of the rules' contexts (summaries at a call-chain level) name a method.</summary>
internal static class MethodKeys
{
    /// <summary>The one symbol for a method however it is reached: reduced extension, partial part, generic instance.</summary>
    public static IMethodSymbol Canonical(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.PartialImplementationPart ?? method;
        return method.OriginalDefinition;
    }

    /// <summary>Compares (method, level) keys by symbol equality and level.</summary>
    public sealed class MethodLevelComparer : IEqualityComparer<(IMethodSymbol Method, int Level)>
    {
        public static MethodLevelComparer Instance { get; } = new();

        public bool Equals((IMethodSymbol Method, int Level) x, (IMethodSymbol Method, int Level) y) =>
            x.Level == y.Level && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Level) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Level;
    }
}
