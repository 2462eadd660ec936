using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

/// <summary>Broken, incomplete and corelib-less code: the rule degrades and never throws (no AD0001).</summary>
public class Robustness
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rule = ImmutableArray.Create<DiagnosticAnalyzer>(new UncheckedNullResultAnalyzer());

    [Theory]
    [InlineData("unsafe class C { void M() { Pcb* p = Net.Accept(; p->State = 1; } }")]
    [InlineData("unsafe class C { void M() { var p = Net.Accept(null) p->State = 1 } }")]
    [InlineData("unsafe class C { void M() { var p = Missing.Accept(null); p->State = 1; } }")]
    [InlineData("unsafe class C { void M() { Unknown* p = Net.Accept(null); p->Nope = 1; } }")]
    [InlineData("unsafe class C { void M() { var p = Net.Accept(null); if (p == ) return; p->State = 1; } }")]
    [InlineData("unsafe class C { void M() { var p = Net.Accept(null); p-> ; } }")]
    [InlineData("unsafe class C { void M() { var p = Net.Accept(null); while (p != null) { p = p->Next } } }")]
    [InlineData("unsafe class C { Pcb* M() => Net.Accept(null)->")]
    [InlineData("unsafe class C { void M() { { { var p = Net.Accept(null); p->State = 1; }")]
    [InlineData("unsafe class C { void M() { goto missing; var p = Net.Accept(null); p->State = 1; } }")]
    [InlineData("unsafe class C { void M() { var p = Net.Accept(null); switch (p) { case null: case var q when q->State == 1: break; } } }")]
    [InlineData("unsafe class C { int M() { var c = Net.AcceptConn(1); return c switch { { Flags: 1 } => 1, null => }; } }")]
    [InlineData("unsafe class C { void M(dynamic d) { var c = Net.AcceptConn(d); c.Send(d); } }")]
    [InlineData("unsafe class C { void M() { var c = Net.AcceptConn(1); c.Missing(); Net.Touch(c); } }")]
    public async Task BrokenCodeNeverThrows(string source)
    {
        var compilation = await Analysis.CompileAsync(new[] { ("Broken.cs", source + Code.Prelude) });
        await Analysis.AnalyzeAsync(compilation, Rule);
    }

    [Fact]
    public async Task LongBackwardCopyChainBailsOutWithTheHiddenDiagnostic()
    {
        // Each loop iteration moves the may-be-null value one copy further: 300 copies need far more visits than
        // the loop's handful of blocks may take, so the analysis stops and says so instead of reporting.
        var copies = string.Concat(System.Linq.Enumerable.Range(1, 300).Reverse().Select(i => $"p{i} = p{i - 1}; "));
        var declarations = string.Concat(System.Linq.Enumerable.Range(1, 300).Select(i => $"Pcb* p{i} = null; "));
        var source = "unsafe class C { void Drain(int n) { Pcb* p0 = Net.Accept(null); " + declarations +
                     "while (n-- > 0) { " + copies + "} p300->State = 1; } }" + Code.Prelude;
        var compilation = await Analysis.CompileAsync(new[] { ("Chain.cs", source) });
        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rule);
        var bailOut = Assert.Single(diagnostics);
        Assert.Equal("KRN900", bailOut.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden, bailOut.Severity);
        Assert.StartsWith("KRN001 did not check 'Drain'", bailOut.GetMessage());
    }

    [Fact]
    public async Task OwnCorelibWithoutWellKnownTypes()
    {
        const string corelib = """
            namespace System
            {
                public class Object { }
                public struct Void { }
                public struct Boolean { }
                public struct Int32 { }
                public struct Byte { }
                public struct IntPtr { }
                public abstract class ValueType { }
                public class String { }
                public abstract class Attribute { }
                public abstract class Enum : ValueType { }
                public struct RuntimeTypeHandle { }
                public struct RuntimeFieldHandle { }
                public struct RuntimeMethodHandle { }
                public class Type { }
                public abstract class Array { }
                public abstract class Delegate { }
                public abstract class MulticastDelegate : Delegate { }
            }

            namespace Kernel
            {
                public sealed class MayReturnNullAttribute : System.Attribute { }
                public sealed class DoesNotReturnAttribute : System.Attribute { }
                public unsafe struct Pcb { public int State; }
                public static unsafe class Tcp
                {
                    [MayReturnNull] public static extern Pcb* Alloc();
                    public static extern Pcb* Listen(int port);
                    [DoesNotReturn] public static extern void Panic();
                    public static void Use()
                    {
                        var p = Listen(1);
                        p->State = 1;
                        var q = Alloc();
                        if (q == null) Panic();
                        q->State = 2;
                        var r = Listen(2);
                        if ((nint)r == 0) return;
                        r->State = 3;
                    }
                }
            }
            """;
        var compilation = Analysis.CompileWithOwnCorelib(corelib);
        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rule);
        var lines = diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        Assert.Equal(new[] { 35 }, lines);
    }
}
