using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kernel.Analyzers.Tests.Infrastructure;

/// <summary>
/// Breaks code the ways editing does: deletes and duplicates tokens and statements, truncates, swaps operators,
/// inserts unbalanced braces. Deterministic for a given seed.
/// </summary>
public sealed class Mutator
{
    private static readonly (string From, string To)[] Swaps =
    {
        ("==", "!="), ("!=", "=="), ("&&", "||"), ("||", "&&"), ("<", ">="), ("+", "-"), ("is not", "is"), ("??", "&&"),
    };

    private readonly Random random;

    public Mutator(int seed) => random = new Random(seed);

    public string Mutate(string source)
    {
        var text = source;
        var rounds = 1 + random.Next(3);
        for (var i = 0; i < rounds && text.Length > 0; i++)
        {
            text = random.Next(7) switch
            {
                0 => DeleteToken(text),
                1 => DuplicateToken(text),
                2 => DeleteStatement(text),
                3 => DuplicateStatement(text),
                4 => text.Substring(0, random.Next(text.Length)),
                5 => SwapOperator(text),
                _ => text.Insert(random.Next(text.Length), random.Next(2) == 0 ? "{" : "}"),
            };
        }

        return text;
    }

    private string DeleteToken(string text)
    {
        var tokens = Tokens(text);
        if (tokens.Count == 0)
        {
            return text;
        }

        var token = tokens[random.Next(tokens.Count)];
        return text.Remove(token.SpanStart, token.Span.Length);
    }

    private string DuplicateToken(string text)
    {
        var tokens = Tokens(text);
        if (tokens.Count == 0)
        {
            return text;
        }

        var token = tokens[random.Next(tokens.Count)];
        return text.Insert(token.Span.End, " " + token.Text);
    }

    private string DeleteStatement(string text)
    {
        var statements = Statements(text);
        if (statements.Count == 0)
        {
            return text;
        }

        var statement = statements[random.Next(statements.Count)];
        return text.Remove(statement.SpanStart, statement.Span.Length);
    }

    private string DuplicateStatement(string text)
    {
        var statements = Statements(text);
        if (statements.Count == 0)
        {
            return text;
        }

        var statement = statements[random.Next(statements.Count)];
        var target = statements[random.Next(statements.Count)];
        return text.Insert(target.Span.End, " " + statement.ToString());
    }

    private string SwapOperator(string text)
    {
        var (from, to) = Swaps[random.Next(Swaps.Length)];
        var index = text.IndexOf(from, random.Next(Math.Max(1, text.Length)) % Math.Max(1, text.Length), StringComparison.Ordinal);
        if (index < 0)
        {
            index = text.IndexOf(from, StringComparison.Ordinal);
        }

        return index < 0 ? text : text.Remove(index, from.Length).Insert(index, to);
    }

    private static List<SyntaxToken> Tokens(string text) =>
        CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();

    private static List<StatementSyntax> Statements(string text) =>
        CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<StatementSyntax>().Where(s => s is not BlockSyntax).ToList();
}
