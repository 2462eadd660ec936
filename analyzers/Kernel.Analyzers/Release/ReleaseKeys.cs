using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Release;

/// <summary>
/// Locations for KRN006: <see cref="FlowKey.For"/>'s locals, parameters, captures and <c>this</c>/static fields, plus
/// member paths through pointers and references alike (<c>f-&gt;Inode</c> and <c>file.Md</c>), built with
/// <see cref="FlowKey.ForAccess"/> so that a summary's paths map onto the caller's arguments.
/// </summary>
internal static class ReleaseKeys
{
    private const string MemberDiscriminator = ".";

    public static FlowKey? For(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        operation = Conversions.Strip(operation);
        switch (operation)
        {
            case IFieldReferenceOperation field:
                return Member(field.Field, field.Instance, operation);
            case IPropertyReferenceOperation property when property.Arguments.IsEmpty:
                return Member(property.Property, property.Instance, operation);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation:
                return FlowKey.For(operation);
            default:
                return null;
        }
    }

    /// <summary><paramref name="instance"/>'s member <paramref name="member"/>, named for messages.</summary>
    public static FlowKey? Member(ISymbol member, FlowKey instance, string name) =>
        FlowKey.ForAccess(member, instance, MemberDiscriminator, name);

    /// <summary>The pointer of an implicit <c>*p</c> (the instance of <c>p-&gt;f</c>), which IOperation shows as <see cref="OperationKind.None"/>.</summary>
    public static IOperation? PointerOf(IOperation operation)
    {
        if (operation.Kind != OperationKind.None)
        {
            return null;
        }

        foreach (var child in operation.ChildOperations)
        {
            return child.Type is IPointerTypeSymbol ? child : null;
        }

        return null;
    }

    private static FlowKey? Member(ISymbol member, IOperation? instance, IOperation operation)
    {
        if (member.IsStatic || instance is null or IInstanceReferenceOperation)
        {
            return FlowKey.ForSymbol(member);
        }

        var owner = PointerOf(instance) ?? instance;
        var ownerKey = For(owner);
        return ownerKey is null ? null : Member(member, ownerKey, operation.Syntax.ToString());
    }
}
