using System;
using System.Globalization;
using System.Text;
using Kernel.Analyzers.Dataflow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Optional;

/// <summary>
/// Access paths for the presence analysis: what the engine's <see cref="FlowKey"/> tracks (locals, parameters, fields and
/// properties of tracked locations), extended with calls (<c>proc.Vmar()</c>, <c>table.Find(pid)</c>), indexers and array
/// elements, so that two reads of the same path get the same key. And whether a read is of a shared resource (KRN004).
/// </summary>
public static class AccessPaths
{
    /// <summary>The key a read goes through, or null when the read is not a stable path.</summary>
    public static FlowKey? KeyOf(IOperation? operation)
    {
        operation = Strip(operation);
        if (operation is null)
        {
            return null;
        }

        if (FlowKey.For(operation) is { } key)
        {
            return key;
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
                return invocation.Instance is null or IInstanceReferenceOperation
                    ? Access(invocation.TargetMethod, null, invocation.Arguments, invocation.TargetMethod.Name)
                    : KeyOf(invocation.Instance) is { } owner
                        ? Access(invocation.TargetMethod, owner, invocation.Arguments, owner.Name + "." + invocation.TargetMethod.Name)
                        : null;
            case IPropertyReferenceOperation property when !property.Arguments.IsEmpty:
                return property.Instance is null or IInstanceReferenceOperation
                    ? Access(property.Property, null, property.Arguments, "this")
                    : KeyOf(property.Instance) is { } indexed ? Access(property.Property, indexed, property.Arguments, indexed.Name) : null;
            case IPropertyReferenceOperation property when property.Instance is not null:
                return KeyOf(property.Instance) is { } propertyOwner
                    ? FlowKey.ForAccess(property.Property, propertyOwner, ".", propertyOwner.Name + "." + property.Property.Name)
                    : null;
            case IFieldReferenceOperation field when field.Instance is not null:
                return KeyOf(field.Instance) is { } fieldOwner
                    ? FlowKey.ForAccess(field.Field, fieldOwner, ".", fieldOwner.Name + "." + field.Field.Name)
                    : null;
            case IArrayElementReferenceOperation element:
                if (KeyOf(element.ArrayReference) is not { } array)
                {
                    return null;
                }

                var indices = new StringBuilder("[");
                foreach (var index in element.Indices)
                {
                    if (!AppendArgument(indices, index))
                    {
                        return null;
                    }
                }

                return FlowKey.ForAccess(null, array, indices.ToString(), array.Name + indices + "]");
            default:
                return null;
        }
    }

    /// <summary>
    /// True when the read is of a resource another party can change between two reads: a property or call (evaluated
    /// again on each read), a static field, a field of <c>this</c> or of any object, an array element. A local, a
    /// parameter and a field of a struct held in one are not shared.
    /// </summary>
    public static bool IsShared(IOperation? operation)
    {
        operation = Strip(operation);
        switch (operation)
        {
            case IPropertyReferenceOperation or IInvocationOperation or IArrayElementReferenceOperation:
                return true;
            case IFieldReferenceOperation field:
                if (field.Field.IsStatic || field.Instance is null or IInstanceReferenceOperation)
                {
                    return true;
                }

                return field.Instance.Type is not { IsValueType: true } || IsShared(field.Instance);
            default:
                return false;
        }
    }

    /// <summary>The root symbol of a key: the local, parameter or member the path starts from.</summary>
    public static ISymbol? Root(FlowKey key)
    {
        var current = key;
        while (current.Instance is { } owner)
        {
            current = owner;
        }

        return current.Symbol;
    }

    /// <summary>True when <paramref name="prefix"/> is <paramref name="key"/> or one of the locations its path goes through.</summary>
    public static bool StartsWith(FlowKey key, FlowKey prefix)
    {
        for (FlowKey? current = key; current is not null; current = current.Instance)
        {
            if (current.Equals(prefix))
            {
                return true;
            }
        }

        return false;
    }

    public static IOperation? Strip(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Conversion.IsUserDefined: false, Conversion.IsNullable: false } conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>How a read appears in a message: its source text, on one line, shortened.</summary>
    public static string Describe(SyntaxNode syntax)
    {
        var text = string.Join(" ", syntax.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private static FlowKey? Access(ISymbol member, FlowKey? owner, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, string prefix)
    {
        var text = new StringBuilder("(");
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref || !AppendArgument(text, argument.Value))
            {
                return null;
            }
        }

        text.Append(')');
        return FlowKey.ForAccess(member, owner, text.ToString(), prefix + text);
    }

    private static bool AppendArgument(StringBuilder text, IOperation value)
    {
        if (text.Length > 1)
        {
            text.Append(", ");
        }

        value = Strip(value)!;
        if (value.ConstantValue.HasValue)
        {
            text.Append(Convert.ToString(value.ConstantValue.Value, CultureInfo.InvariantCulture) ?? "null");
            return true;
        }

        if (KeyOf(value) is { } key && value is not IInvocationOperation)
        {
            text.Append(key.Name);
            return true;
        }

        return false;
    }
}
