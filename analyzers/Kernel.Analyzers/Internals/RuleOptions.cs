using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Reads <c>dotnet_code_quality.KRNxxx.option</c> (falling back to <c>dotnet_code_quality.option</c>) for one syntax tree,
/// so <c>.editorconfig</c> sections and <c>.globalconfig</c> files both apply.
/// </summary>
internal readonly struct RuleOptions
{
    private readonly AnalyzerConfigOptions options;
    private readonly string ruleId;

    public RuleOptions(AnalyzerOptions analyzerOptions, SyntaxTree tree, string ruleId)
    {
        options = analyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
        this.ruleId = ruleId;
    }

    public string? Get(string name)
    {
        if (options.TryGetValue($"dotnet_code_quality.{ruleId}.{name}", out var value) ||
            options.TryGetValue($"dotnet_code_quality.{name}", out value))
        {
            return value;
        }

        return null;
    }

    public bool GetBool(string name, bool defaultValue) =>
        Get(name) is { } text && bool.TryParse(text.Trim(), out var value) ? value : defaultValue;

    public int GetInt(string name, int defaultValue, int min, int max) =>
        Get(name) is { } text && int.TryParse(text.Trim(), out var value) ? Math.Min(max, Math.Max(min, value)) : defaultValue;

    public SymbolNamePattern GetSymbols(string name) => SymbolNamePattern.Parse(Get(name));
}
