using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Nullness;

/// <summary>Why a value may be null.</summary>
public enum NullSourceKind
{
    /// <summary>A method marked <c>[MayReturnNull]</c> or <c>[return: MaybeNull]</c>.</summary>
    Annotated,

    /// <summary>A method listed in <c>dotnet_code_quality.KRN001.null_returning_methods</c>.</summary>
    Configured,

    /// <summary>A method of the listen family (<c>Listen</c>, <c>Accept</c> as a word of its name).</summary>
    ListenFamily,

    /// <summary>A method of this compilation with a path that returns null.</summary>
    Inferred,

    /// <summary>A parameter, while a callee's summary is computed.</summary>
    Parameter,

    /// <summary>A null constant: tracked for summaries, never reported by itself.</summary>
    Constant,
}

/// <summary>The origin of a may-be-null value: one call site (or a parameter while summarising a callee).</summary>
public sealed class NullSource
{
    public static readonly NullSource Constant = new(NullSourceKind.Constant, null, null, -1);

    public NullSource(NullSourceKind kind, IMethodSymbol? method, IOperation? call, int parameterOrdinal)
    {
        Kind = kind;
        Method = method;
        Call = call;
        ParameterOrdinal = parameterOrdinal;
    }

    public NullSourceKind Kind { get; }

    public IMethodSymbol? Method { get; }

    /// <summary>The call that produced the value (the diagnostic's additional location).</summary>
    public IOperation? Call { get; }

    public int ParameterOrdinal { get; }

    /// <summary>True for sources the rule reports: call results.</summary>
    public bool IsCall => Call is not null;

    public NullSource WithCall(IOperation call) => new(Kind, Method, call, ParameterOrdinal);

    /// <summary>The reason as the message gives it.</summary>
    public string Reason
    {
        get
        {
            var name = Method?.Name ?? "the call";
            return Kind switch
            {
                NullSourceKind.ListenFamily => $"'{name}' returns null on failure (e.g. address in use)",
                NullSourceKind.Annotated => $"'{name}' is declared to return null on failure",
                NullSourceKind.Configured => $"'{name}' is listed as returning null (null_returning_methods)",
                NullSourceKind.Inferred => $"'{name}' returns null on some path",
                _ => "it may be null",
            };
        }
    }
}
