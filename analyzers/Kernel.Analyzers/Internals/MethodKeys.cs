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
}
