using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Kernel.Analyzers.ByteCounts;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Rules;

/// <summary>
/// KRN005: a byte count returned by a read or write is ignored or misused (seed 001): discarded, stored and never
/// read, only compared to zero before the buffer is used as if full, or a fill loop that advances by the requested
/// length or stops at the first short read.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class IgnoredByteCountAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: what the fixer can do (<c>Discarded</c>, <c>Unread</c>, <c>Full</c>, <c>Advance</c>, <c>Stop</c>).</summary>
    public const string KindProperty = "Kind";

    /// <summary>Diagnostic property: the local that holds the count, when there is one.</summary>
    public const string CountProperty = "Count";

    /// <summary>Diagnostic property: the text of the requested-length argument, when there is one.</summary>
    public const string RequestedProperty = "Requested";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.KRN900AnalysisBailedOut,
        Descriptors.KRN005DiscardedCount,
        Descriptors.KRN005UnreadCount,
        Descriptors.KRN005BufferUsedAsFull,
        Descriptors.KRN005AdvanceByRequested,
        Descriptors.KRN005StopsAtShortRead);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analysed, and this rule reports only inside the code it analyses: the driver need not
        // look for generated code around each diagnostic (a scan of the whole file, the first time one is reported there).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var apis = new ByteCountApis();
            var checkWrites = new ConcurrentDictionary<SyntaxTree, bool>();
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol || block.OperationBlocks.IsEmpty)
                {
                    return;
                }

                var tree = block.OperationBlocks[0].Syntax.SyntaxTree;
                if (!checkWrites.TryGetValue(tree, out var writes))
                {
                    writes = checkWrites.GetOrAdd(tree, new RuleOptions(start.Options, tree, RuleIds.IgnoredByteCount).GetBool("check_writes", defaultValue: true));
                }

                var calls = new ByteCountCalls();
                foreach (var invocation in BlockScan.Of(block.OperationBlocks, block.CancellationToken).Invocations)
                {
                    AnalyzeCall(block, invocation, apis, writes, calls);
                }

                AnalyzeFlow(block, apis, calls);
            });
        });
    }

    private static void AnalyzeCall(OperationBlockAnalysisContext context, IInvocationOperation invocation, ByteCountApis apis, bool checkWrites, ByteCountCalls calls)
    {
        var api = apis.Classify(invocation.TargetMethod);
        if (api.Kind == ByteCountKind.None || (api.Kind == ByteCountKind.Write && !checkWrites))
        {
            return;
        }

        var requested = api.Length >= 0 ? CountFlowAnalysis.Argument(invocation, api.Length)?.Syntax.ToString() : null;
        if (IsDiscarded(invocation))
        {
            var advice = api.Kind == ByteCountKind.Read
                ? "a short read leaves the rest of the buffer unfilled: read until the requested length or the end of the stream"
                : "it may accept fewer bytes than requested: write the rest until everything is accepted";
            context.ReportDiagnostic(Create(
                Descriptors.KRN005DiscardedCount, invocation.Syntax, "Discarded", null, requested,
                invocation.TargetMethod.Name, api.Kind == ByteCountKind.Read ? "read" : "accepted", advice));
            return;
        }

        if (api.Kind != ByteCountKind.Read)
        {
            return;
        }

        calls.SawRead = true;
        if (CountLocal(invocation) is { } count && FillLoops.Find(invocation, api, count) is { } defect)
        {
            calls.LoopDefects.Add(invocation.Syntax);
            context.ReportDiagnostic(defect.AdvancesByRequested
                ? Create(Descriptors.KRN005AdvanceByRequested, defect.Node.Syntax, "Advance", count.Name, requested, defect.Offset, defect.Requested, invocation.TargetMethod.Name)
                : Create(Descriptors.KRN005StopsAtShortRead, defect.Node.Syntax, "Stop", count.Name, requested, invocation.TargetMethod.Name));
        }
    }

    private static void AnalyzeFlow(OperationBlockAnalysisContext context, ByteCountApis apis, ByteCountCalls calls)
    {
        if (!calls.SawRead)
        {
            return;
        }

        foreach (var root in ControlFlowGraphs.OfBlocks(context))
        {
            foreach (var graph in ControlFlowGraphs.WithNested(root, context.CancellationToken))
            {
                var analysis = new CountFlowAnalysis(graph, apis, context.CancellationToken);
                analysis.Run();
                if (analysis.BailedOut)
                {
                    BailOut.Report(context, RuleIds.IgnoredByteCount, analysis);
                    continue;
                }

                foreach (var definition in analysis.UnreadCounts())
                {
                    if (!calls.LoopDefects.Contains(definition.Call.Syntax) && !IsCaptured(definition.Local!, context))
                    {
                        context.ReportDiagnostic(Create(
                            Descriptors.KRN005UnreadCount, definition.Call.Syntax, "Unread", definition.Local!.Name,
                            definition.Requested?.Syntax.ToString(), definition.Call.TargetMethod.Name, definition.Local.Name));
                    }
                }

                foreach (var use in analysis.BuffersUsedAsFull())
                {
                    if (!calls.LoopDefects.Contains(use.Definition.Call.Syntax))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.KRN005BufferUsedAsFull,
                            use.Argument.Syntax.GetLocation(),
                            ImmutableArray.Create(use.Definition.Call.Syntax.GetLocation()),
                            Properties("Full", use.Definition.Local?.Name, use.Definition.Requested?.Syntax.ToString()),
                            use.Argument.Syntax.ToString(),
                            use.Definition.Call.TargetMethod.Name));
                    }
                }
            }
        }
    }

    /// <summary>A count nobody receives: an expression statement, <c>_ = ...</c>, an awaited statement, <c>s?.Read(...)</c>.</summary>
    private static bool IsDiscarded(IInvocationOperation invocation)
    {
        IOperation operation = invocation;
        var parent = operation.Parent;
        while (parent is IAwaitOperation or IConversionOperation or IParenthesizedOperation ||
               (parent is IConditionalAccessOperation access && access.WhenNotNull == operation))
        {
            operation = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
            _ => false,
        };
    }

    /// <summary>The local a read's count is assigned to (<c>int n = s.Read(...)</c>, <c>n = s.Read(...)</c>).</summary>
    private static ILocalSymbol? CountLocal(IInvocationOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IAwaitOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } => local.Local,
            _ => null,
        };
    }

    /// <summary>A count local read inside a lambda or local function is used there; the graph of the method does not see it.</summary>
    private static bool IsCaptured(ILocalSymbol local, OperationBlockAnalysisContext context)
    {
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    foreach (var inner in operation.Descendants())
                    {
                        if (inner is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static Diagnostic Create(DiagnosticDescriptor descriptor, SyntaxNode node, string kind, string? count, string? requested, params object[] arguments) =>
        Diagnostic.Create(descriptor, node.GetLocation(), Properties(kind, count, requested), arguments);

    private static ImmutableDictionary<string, string?> Properties(string kind, string? count, string? requested)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder.Add(KindProperty, kind);
        if (count is not null)
        {
            builder.Add(CountProperty, count);
        }

        if (requested is not null)
        {
            builder.Add(RequestedProperty, requested);
        }

        return builder.ToImmutable();
    }

    /// <summary>What a method's byte-count calls showed: whether the flow analysis has reads to follow.</summary>
    private sealed class ByteCountCalls
    {
        /// <summary>A read whose count the flow analysis follows.</summary>
        public bool SawRead { get; set; }

        /// <summary>Reads already reported as a defective fill loop: the flow analysis does not report them again.</summary>
        public HashSet<SyntaxNode> LoopDefects { get; } = new();
    }
}
