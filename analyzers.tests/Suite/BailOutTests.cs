using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// A rule's analysis stops at its budget and says so with the hidden KRN900 instead of reporting from an unstable
/// state (KRN001's case is in its robustness tests). Each case is a loop that moves a bad value one copy further per iteration through a chain of 300 locals:
/// far more visits than the loop's handful of blocks may take.
/// </summary>
public class BailOutTests
{
    private const int Copies = 300;

    [Fact]
    public Task LockChainBailsOut() =>
        ExpectBailOutAsync(
            new LockUsedBeforeInitAnalyzer(),
            "KRN002",
            "SpinLock l0 = default; " + Declare(i => $"SpinLock l{i} = Ready(); ") + "while (n-- > 0) { " + Chain("l") + "} l300.Acquire();",
            "static SpinLock Ready() { var l = new SpinLock(); l.Init(); return l; }" + KRN002LockUsedBeforeInit.Code.Prelude);

    [Fact]
    public Task OptionalChainBailsOutForKrn003() =>
        ExpectBailOutAsync(new UnguardedUnwrapAnalyzer(), "KRN003", OptionalChain, string.Empty);

    [Fact]
    public Task OptionalChainBailsOutForKrn004() =>
        ExpectBailOutAsync(new CheckThenUnwrapRaceAnalyzer(), "KRN004", OptionalChain, string.Empty);

    [Fact]
    public Task ReleasedPointerChainBailsOut() =>
        ExpectBailOutAsync(
            new UseAfterReleaseAnalyzer(),
            "KRN006",
            "Inode* a0 = Kernel.Alloc(); Kernel.inode_put(a0); " + Declare(i => $"Inode* a{i} = Kernel.Alloc(); ") + "while (n-- > 0) { " + Chain("a") + "} a300->Busy = 1;",
            string.Empty,
            KRN006UseAfterRelease.Code.Prelude);

    private static string OptionalChain =>
        "int? o0 = n > 5 ? n : null; " + Declare(i => $"int? o{i} = 1; ") + "while (n-- > 0) { " + Chain("o") + "} var v = o300.Value;";

    private static string Declare(Func<int, string> declaration) => string.Concat(Enumerable.Range(1, Copies).Select(declaration));

    private static string Chain(string name) => string.Concat(Enumerable.Range(1, Copies).Reverse().Select(i => $"{name}{i} = {name}{i - 1}; "));

    private static async Task ExpectBailOutAsync(DiagnosticAnalyzer analyzer, string ruleId, string body, string members, string declarations = "")
    {
        var source = "unsafe class C { void Drain(int n) { " + body + " } " + members + " }" + declarations;
        var compilation = await Analysis.CompileAsync(new[] { ("Chain.cs", source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await Analysis.AnalyzeAsync(compilation, ImmutableArray.Create(analyzer));
        var bailOut = Assert.Single(diagnostics);
        Assert.Equal("KRN900", bailOut.Id);
        Assert.Equal(DiagnosticSeverity.Hidden, bailOut.Severity);
        Assert.StartsWith($"{ruleId} did not check 'Drain'", bailOut.GetMessage());
    }
}
