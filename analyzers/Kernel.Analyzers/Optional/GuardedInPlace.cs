using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Optional;

/// <summary>
/// The idiom that checks an optional where it unwraps it, which needs no flow analysis: <c>x.HasValue ? x.Value : d</c>
/// on a local or a by-value parameter. Nothing runs between the check and the unwrap, and no other thread can change
/// <c>x</c>, so neither KRN003 nor KRN004 can report it. Fields, <c>ref</c> storage and every other shape go to the
/// presence analysis.
/// </summary>
internal static class GuardedInPlace
{
    public static bool Is(IOperation unwrap, OptionalTypes types)
    {
        var instance = unwrap switch
        {
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => property.Instance,
            IFieldReferenceOperation field => field.Instance,
            _ => null,
        };
        if (instance is null || PrivateStorage(instance) is not { } storage)
        {
            return false;
        }

        var node = Conversions.WithImplicitParents(unwrap);
        return node.Parent is IConditionalOperation { IsRef: false, WhenFalse: not null } conditional &&
               conditional.WhenTrue == node &&
               IsPresenceCheckOf(conditional.Condition, storage, types);
    }

    private static bool IsPresenceCheckOf(IOperation condition, ISymbol storage, OptionalTypes types)
    {
        var (member, instance) = condition switch
        {
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => (property.Property, property.Instance),
            IFieldReferenceOperation field => (field.Field, field.Instance),
            IInvocationOperation { Arguments.IsEmpty: true } invocation => ((ISymbol)invocation.TargetMethod, invocation.Instance),
            _ => ((ISymbol?)null, (IOperation?)null),
        };
        return member is not null && instance is not null &&
               OptionalTypes.IsPresenceMember(member, out var meansPresent) && meansPresent &&
               SymbolEqualityComparer.Default.Equals(PrivateStorage(instance), storage) &&
               types.ShapeOf(instance.Type) is not null;
    }

    /// <summary>A local (not a ref local) or a by-value parameter: storage only this method writes.</summary>
    private static ISymbol? PrivateStorage(IOperation operation) => operation switch
    {
        ILocalReferenceOperation { Local.IsRef: false } local => local.Local,
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
        _ => null,
    };
}
