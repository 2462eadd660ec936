using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.InitState;

/// <summary>KRN002's options for one syntax tree.</summary>
public sealed class InitOptions
{
    public const int DefaultCallChain = 3;

    internal InitOptions(bool nameHeuristic, SymbolNamePattern lockTypes, int maxCallChain)
    {
        NameHeuristic = nameHeuristic;
        LockTypes = lockTypes;
        MaxCallChain = maxCallChain;
    }

    /// <summary><c>lock_name_heuristic</c>: types named <c>*Lock</c>, <c>*Mutex</c>, ... with an init method are lock-like (default true).</summary>
    public bool NameHeuristic { get; }

    /// <summary><c>lock_types</c>: more types that need an init call before use, for types the user cannot annotate.</summary>
    internal SymbolNamePattern LockTypes { get; }

    /// <summary><c>max_interprocedural_method_call_chain</c>: how deep summaries look through callees (default 3).</summary>
    public int MaxCallChain { get; }

    public static InitOptions Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var rule = new RuleOptions(options, tree, RuleIds.LockUsedBeforeInit);
        return new InitOptions(
            rule.GetBool("lock_name_heuristic", defaultValue: true),
            rule.GetSymbols("lock_types"),
            rule.GetInt("max_interprocedural_method_call_chain", DefaultCallChain, min: 0, max: 10));
    }
}
