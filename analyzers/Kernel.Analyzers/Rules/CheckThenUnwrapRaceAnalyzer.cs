using System.Collections.Immutable;
using Kernel.Analyzers.Optional;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Rules;

/// <summary>KRN004: presence is tested on one read of a shared resource and unwrapped on another (seed 003's race).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CheckThenUnwrapRaceAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.KRN004CheckThenUnwrapRace, Descriptors.KRN900AnalysisBailedOut);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analysed, and this rule reports only inside the code it analyses: the driver need not
        // look for generated code around each diagnostic (a scan of the whole file, the first time one is reported there).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        OptionalRuleRunner.Register(context, UnwrapFindingKind.Race, Create);
    }

    private static Diagnostic Create(UnwrapFinding finding)
    {
        var between = finding.Between is { } what ? $", with {what} between them" : string.Empty;
        var additional = finding.CheckSite is { } site
            ? ImmutableArray.Create(site.GetLocation())
            : ImmutableArray<Location>.Empty;
        return Diagnostic.Create(
            Descriptors.KRN004CheckThenUnwrapRace,
            finding.Unwrap.GetLocation(),
            additional,
            finding.OptionalName,
            finding.UnwrapText,
            between);
    }
}
