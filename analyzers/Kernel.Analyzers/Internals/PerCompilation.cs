using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Knowledge that several rules of the suite read about the same compilation (KRN001's may-return-null summaries for
/// KRN003's <c>x!</c>, the presence analysis KRN003 and KRN004 both report from): built once per compilation and
/// options, and collected with them.
/// </summary>
internal sealed class PerCompilation<T>
    where T : class
{
    private readonly ConditionalWeakTable<Compilation, ConditionalWeakTable<AnalyzerOptions, T>> values = new();
    private readonly Func<Compilation, AnalyzerOptions, T> create;

    public PerCompilation(Func<Compilation, AnalyzerOptions, T> create) => this.create = create;

    public T For(Compilation compilation, AnalyzerOptions options) =>
        values.GetValue(compilation, _ => new ConditionalWeakTable<AnalyzerOptions, T>())
            .GetValue(options, o => create(compilation, o));
}
