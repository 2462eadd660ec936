using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Dataflow;

/// <summary>Reports a rule's documented bail-out (KRN900) at the method it could not check.</summary>
public static class BailOut
{
    public static void Report<TValue>(OperationBlockAnalysisContext context, string ruleId, ForwardFlowAnalysis<TValue> analysis) =>
        Report(context, ruleId, analysis.BailedOut, analysis.Budget);

    public static void Report(OperationBlockAnalysisContext context, string ruleId, bool bailedOut, int budget)
    {
        if (!bailedOut)
        {
            return;
        }

        var location = context.OwningSymbol.Locations.Length > 0 ? context.OwningSymbol.Locations[0] : Location.None;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.KRN900AnalysisBailedOut, location, ruleId, context.OwningSymbol.Name, budget));
    }
}
