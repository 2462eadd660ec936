using System.Collections.Immutable;
using Kernel.Analyzers.Optional;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Rules;

/// <summary>KRN003: an optional resource is unwrapped on a path where its presence was not established (seed 003).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnguardedUnwrapAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.KRN003UnguardedUnwrap, Descriptors.KRN900AnalysisBailedOut);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analysed, and this rule reports only inside the code it analyses: the driver need not
        // look for generated code around each diagnostic (a scan of the whole file, the first time one is reported there).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        OptionalRuleRunner.Register(context, UnwrapFindingKind.Unguarded, Create);
    }

    private static Diagnostic Create(UnwrapFinding finding)
    {
        var why = finding.NullSource is { } source
            ? $"'{source.Name}' may return null"
            : "its presence was not checked";
        return Diagnostic.Create(
            Descriptors.KRN003UnguardedUnwrap,
            finding.Unwrap.GetLocation(),
            finding.OptionalName,
            finding.UnwrapText,
            why);
    }
}
