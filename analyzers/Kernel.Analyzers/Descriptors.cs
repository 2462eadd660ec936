using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers;

/// <summary>Every rule id of the suite, in one place.</summary>
public static class RuleIds
{
    public const string UncheckedNullResult = "KRN001";
}

/// <summary>Diagnostic categories, as NetAnalyzers name them.</summary>
internal static class RuleCategories
{
    public const string Reliability = "Reliability";
}

/// <summary>
/// The descriptors of every rule, created through one helper so that titles, messages and help links stay uniform.
/// </summary>
public static class Descriptors
{
    private const string HelpRoot = "https://github.com/kernel-analyzers/kernel/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor KRN001UncheckedNullResult = Create(
        RuleIds.UncheckedNullResult,
        title: "Result that may be null is dereferenced without a check",
        messageFormat: "'{0}' may be null: {1}; check it before {2}",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A call that returns null on failure (a listen that finds its port in use, an allocator out of memory) " +
                     "is dereferenced on a path where nothing checked the result. In a kernel that is a page fault.");

    /// <summary>The address of a rule's documentation page.</summary>
    public static string HelpLink(string id) => HelpRoot + id + ".md";

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);
}
