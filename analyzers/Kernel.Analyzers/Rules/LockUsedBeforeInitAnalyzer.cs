using System.Collections.Generic;
using System.Collections.Immutable;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.InitState;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Rules;

/// <summary>
/// KRN002: a lock used before it is initialized (seed 004): a use before the init on some path (rule 1), an
/// initializer that calls code using the lock before initializing it (rule 2), a lock field used but initialized
/// nowhere (rule 3, at compilation end), and a re-init while the lock may be held (rule 4).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockUsedBeforeInitAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: <c>move</c> (the first additional location is the late init) or <c>insert</c>.</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the statement the <c>insert</c> fix adds before the use.</summary>
    public const string InitStatementProperty = "InitStatement";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KRN900AnalysisBailedOut,
        Descriptors.KRN002LockUsedBeforeInit,
        Descriptors.KRN002InitTooLate,
        Descriptors.KRN002NeverInitialized,
        Descriptors.KRN002InitWhileHeld);

    public override void Initialize(AnalysisContext context)
    {
        // Rule 3 reports at a field's declaration, which may be generated code: the driver keeps it out.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var state = new InitStateContext(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, state));
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var (field, firstUse) in state.NeverInitializedFields())
                {
                    var declarator = field.DeclaringSyntaxReferences[0].GetSyntax(end.CancellationToken);
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.KRN002NeverInitialized,
                        declarator.GetLocation(),
                        ImmutableArray.Create(firstUse.Location),
                        field.Name,
                        firstUse.Use));
                }
            });
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext block, InitStateContext state)
    {
        if (block.OperationBlocks.IsEmpty)
        {
            return;
        }

        var options = state.OptionsFor(block.OperationBlocks[0].Syntax.SyntaxTree);
        var relevant = false;
        foreach (var operation in block.OperationBlocks)
        {
            // Rule 3 records, compilation-wide, which lock fields are used and which are initialized, in every block.
            var facts = state.FactsOf(operation, options, block.CancellationToken);
            state.Record(operation, facts, options, block.CancellationToken);

            // Bail out early: only code that may use a lock before its init, or init it while held, needs a graph.
            relevant = relevant || (block.OwningSymbol is IMethodSymbol && state.MayReport(facts, options.MaxCallChain, block.CancellationToken));
        }

        if (!relevant)
        {
            return;
        }

        var method = (IMethodSymbol)block.OwningSymbol;
        foreach (var root in ControlFlowGraphs.OfBlocks(block))
        {
            foreach (var graph in ControlFlowGraphs.WithNested(root, block.CancellationToken))
            {
                var analysis = new InitFlowAnalysis(
                    graph, state, options, options.MaxCallChain, summarized: null,
                    finding => block.ReportDiagnostic(Create(finding, method)), block.CancellationToken);
                analysis.Analyze();
                BailOut.Report(block, RuleIds.LockUsedBeforeInit, analysis);
            }
        }
    }

    private static Diagnostic Create(InitFinding finding, IMethodSymbol method)
    {
        var additional = new List<Location>();
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (finding.Init is { } init)
        {
            additional.Add(init.GetLocation());
            if (finding.InitIsLater)
            {
                properties = properties.Add(FixProperty, "move");
            }
        }
        else if (finding.InitStatement is { } statement && finding.Kind == InitFindingKind.UseBeforeInit && finding.Callee is null)
        {
            properties = properties.Add(FixProperty, "insert").Add(InitStatementProperty, statement);
        }

        if (finding.CalleeUse is { } calleeUse && calleeUse.Location.IsInSource)
        {
            additional.Add(calleeUse.Location);
        }

        if (finding.HeldAt is { } held)
        {
            additional.Add(held.GetLocation());
        }

        var location = finding.Node.GetLocation();
        switch (finding.Kind)
        {
            case InitFindingKind.CallBeforeInit:
                return Diagnostic.Create(
                    Descriptors.KRN002InitTooLate,
                    location,
                    additional,
                    properties,
                    method.Name,
                    finding.Callee!.Name,
                    finding.Storage,
                    DescribeCalleeUse(finding.CalleeUse),
                    LateInit(finding));
            case InitFindingKind.InitWhileHeld:
                return Diagnostic.Create(
                    Descriptors.KRN002InitWhileHeld,
                    location,
                    additional,
                    properties,
                    finding.Storage,
                    finding.Use,
                    finding.HeldAt is { } acquire ? $" (acquired at line {Line(acquire.GetLocation())})" : string.Empty);
            default:
                var use = finding.Callee is { } callee
                    ? $"passing it to '{callee.Name}', which uses it ({DescribeCalleeUse(finding.CalleeUse)})"
                    : finding.Use;
                return Diagnostic.Create(
                    Descriptors.KRN002LockUsedBeforeInit,
                    location,
                    additional,
                    properties,
                    finding.Storage,
                    use,
                    LateInit(finding));
        }
    }

    private static string DescribeCalleeUse(UseSite? site) =>
        site is null ? "a use" : site.Through is { } through ? $"{site.Use} through {through}" : site.Use;

    private static string LateInit(InitFinding finding)
    {
        if (finding.Init is not { } init)
        {
            return "; nothing initializes it on this path";
        }

        return finding.InitIsLater
            ? $"; its initialization at line {Line(init.GetLocation())} comes too late"
            : $"; some paths reach it without the initialization at line {Line(init.GetLocation())}";
    }

    private static int Line(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;
}
