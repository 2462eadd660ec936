using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Operation kinds that rules register for once per method: held in one array each, where the <c>params</c> overload
/// would allocate a new one for every method of the compilation.
/// </summary>
internal static class RegisteredKinds
{
    public static readonly ImmutableArray<OperationKind> Invocation = ImmutableArray.Create(OperationKind.Invocation);
}
