using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN002LockUsedBeforeInit;

/// <summary>Broken, incomplete and corelib-less code: the rule degrades and never throws (no AD0001).</summary>
public class Robustness
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rule = ImmutableArray.Create<DiagnosticAnalyzer>(new LockUsedBeforeInitAnalyzer());

    [Theory]
    [InlineData("class C { void M() { SpinLock l = default; l.Acquire(; l.Init(); } }")]
    [InlineData("class C { void M() { SpinLock l = default l.Acquire() l.Init() } }")]
    [InlineData("class C { void M() { MissingLock l = default; l.Acquire(); l.Init(); } }")]
    [InlineData("class C { void M() { SpinLock l = default; l.Missing(); Helper(ref l); l.Init(); } }")]
    [InlineData("class C { static SpinLock s; void M() { s.Acquire(); s.Init(ref); } }")]
    [InlineData("unsafe class C { void M() { SpinLock* p = null; p->; p->Init(); } }")]
    [InlineData("unsafe class C { void M() { Unknown* p = null; p->Acquire(); SpinLock.Init(p); } }")]
    [InlineData("class C { void M() { { { SpinLock l = default; l.Acquire(); }")]
    [InlineData("class C { void M() { goto missing; SpinLock l = default; l.Acquire(); } }")]
    [InlineData("class C { void M(dynamic d) { SpinLock l = default; l.Acquire(d); d.Init(ref l); l.Init(); } }")]
    [InlineData("class C { void M() { SpinLock l = default; if (l.IsInitialized == ) l.Init(); l.Acquire(); } }")]
    [InlineData("class C { static void R() => R(); static SpinLock s; static void I() { R(); s.Init(); s.Acquire(); } }")]
    [InlineData("class C { static void A() { B(); s.Init(); } static void B() { A(); s.Acquire(); } static SpinLock s; }")]
    [InlineData("[RequiresInit] class C { C() { this.Init(); } void Init() { } void M() { var c = new C(); c.M(); } }")]
    [InlineData("class C { SpinLock this[int i] => default; void M() { this[0].Acquire(); } }")]
    public async Task BrokenCodeNeverThrows(string source)
    {
        var compilation = await Analysis.CompileAsync(new[] { ("Broken.cs", source + Code.Prelude) });
        await Analysis.AnalyzeAsync(compilation, Rule);
    }

    [Fact]
    public async Task OwnCorelibWithoutSystemTypes()
    {
        const string corelib = """
            namespace System
            {
                public class Object { }
                public struct Void { }
                public struct Boolean { }
                public struct Int32 { }
                public abstract class ValueType { }
                public class String { }
                public abstract class Attribute { }
            }

            namespace Kernel.Sync
            {
                public sealed class RequiresInitAttribute : System.Attribute { }

                [RequiresInit]
                public sealed class SpinLock
                {
                    private bool _ready;
                    public bool IsInitialized => _ready;
                    public void Init() { _ready = true; }
                    public void Acquire() { }
                    public void Release() { }
                }

                public static class Boot
                {
                    private static SpinLock s_lock = new SpinLock();

                    public static void Start()
                    {
                        s_lock.Acquire();
                        s_lock.Init();
                    }
                }
            }
            """;
        var compilation = Analysis.CompileWithOwnCorelib(corelib);
        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rule);
        var lines = diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        Assert.Equal(new[] { 32 }, lines);
    }
}
