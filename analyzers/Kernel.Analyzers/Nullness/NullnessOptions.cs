using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Nullness;

/// <summary>KRN001's options for one syntax tree.</summary>
public sealed class NullnessOptions
{
    public const int DefaultCallChain = 3;

    internal NullnessOptions(bool listenFamily, SymbolNamePattern nullReturningMethods, int maxCallChain)
    {
        ListenFamily = listenFamily;
        NullReturningMethods = nullReturningMethods;
        MaxCallChain = maxCallChain;
    }

    /// <summary><c>listen_family</c>: treat Listen/Accept-named methods as returning null on failure (default true).</summary>
    public bool ListenFamily { get; }

    /// <summary><c>null_returning_methods</c>: methods declared to return null, for APIs the user cannot annotate.</summary>
    internal SymbolNamePattern NullReturningMethods { get; }

    /// <summary><c>max_interprocedural_method_call_chain</c>: how deep summaries look through callees (default 3).</summary>
    public int MaxCallChain { get; }

    public static NullnessOptions Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var rule = new RuleOptions(options, tree, RuleIds.UncheckedNullResult);
        return new NullnessOptions(
            rule.GetBool("listen_family", defaultValue: true),
            rule.GetSymbols("null_returning_methods"),
            rule.GetInt("max_interprocedural_method_call_chain", DefaultCallChain, min: 0, max: 10));
    }
}
