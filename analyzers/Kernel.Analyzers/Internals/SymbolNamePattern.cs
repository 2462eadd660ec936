using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A list of symbol names as NetAnalyzers' options spell them: a bare name, a fully qualified <c>Ns.Type.Method</c>,
/// or a documentation id <c>M:Ns.Type.Method</c>, each with an optional trailing <c>*</c> wildcard, separated by <c>|</c>.
/// </summary>
internal sealed class SymbolNamePattern
{
    public static readonly SymbolNamePattern Empty = new(ImmutableArray<string>.Empty);

    private readonly ImmutableArray<string> entries;

    private SymbolNamePattern(ImmutableArray<string> entries) => this.entries = entries;

    public bool IsEmpty => entries.IsEmpty;

    public static SymbolNamePattern Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in text!.Split('|', ','))
        {
            var entry = part.Trim();
            if (entry.Length > 0)
            {
                builder.Add(entry);
            }
        }

        return new SymbolNamePattern(builder.ToImmutable());
    }

    public bool Matches(ISymbol symbol)
    {
        if (entries.IsEmpty)
        {
            return false;
        }

        var qualified = symbol.ContainingType is { } type
            ? type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + symbol.Name
            : symbol.Name;
        var documentationId = symbol.GetDocumentationCommentId() ?? string.Empty;
        var documentationIdWithoutParameters = StripParameters(documentationId);

        foreach (var entry in entries)
        {
            if (entry.Length > 2 && entry[1] == ':')
            {
                if (Match(entry, documentationId) || Match(entry, documentationIdWithoutParameters))
                {
                    return true;
                }
            }
            else if (Match(entry, symbol.Name) || Match(entry, qualified))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripParameters(string documentationId)
    {
        var open = documentationId.IndexOf('(');
        return open < 0 ? documentationId : documentationId.Substring(0, open);
    }

    private static bool Match(string pattern, string candidate) =>
        pattern.EndsWith("*", StringComparison.Ordinal)
            ? candidate.StartsWith(pattern.Substring(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, candidate, StringComparison.Ordinal);
}
