using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN006UseAfterRelease;

/// <summary>Broken, incomplete and corelib-less code: the rule degrades and never throws (no AD0001).</summary>
public class Robustness
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rule = ImmutableArray.Create<DiagnosticAnalyzer>(new UseAfterReleaseAnalyzer());

    [Theory]
    [InlineData("unsafe class C { void M(Inode* ip) { Kernel.inode_put(; ip->Busy = 1; } }")]
    [InlineData("unsafe class C { void M(Inode* ip) { Kernel.inode_put(ip) ip->Busy = 1 } }")]
    [InlineData("unsafe class C { void M(Missing* ip) { Kernel.inode_put(ip); ip->Nope = 1; } }")]
    [InlineData("unsafe class C { void M(Inode* ip) { Unknown.Free(ip); ip-> ; } }")]
    [InlineData("unsafe class C { void M(dynamic d) { d.Release(); d.Write(1); } }")]
    [InlineData("unsafe class C { void M(Buffer b) { b.Release(); b.Missing(); Kernel.Log(b); } }")]
    [InlineData("unsafe class C { void M(Inode* ip) { goto x; Kernel.inode_put(ip); ip->Busy = 1; } }")]
    [InlineData("unsafe class C { static void A(Inode* p) { B(p); } static void B(Inode* p) { A(p); Kernel.inode_put(p); } void M(Inode* p) { A(p); p->Busy = 1; } }")]
    [InlineData("unsafe class C { void M(Inode* ip) { { { Kernel.inode_put(ip); ip->Busy = 1; }")]
    [InlineData("unsafe class C { Inode* M(Inode* ip) => Kernel.inode_put(ip)->")]
    public async Task BrokenCodeNeverThrows(string source)
    {
        var compilation = await Analysis.CompileAsync(new[] { ("Broken.cs", source + Code.Prelude) });
        await Analysis.AnalyzeAsync(compilation, Rule);
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
                public abstract class ValueType { }
                public class String { }
                public abstract class Attribute { }
            }

            namespace Kernel
            {
                public unsafe struct Inode { public int Busy; }
                public static unsafe class Vfs
                {
                    public static extern void inode_put(Inode* ip);
                    public static void Use(Inode* ip)
                    {
                        inode_put(ip);
                        ip->Busy = 1;
                    }
                }
            }
            """;
        var compilation = Analysis.CompileWithOwnCorelib(corelib);
        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rule);
        var lines = diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        Assert.Equal(new[] { 21 }, lines);
    }
}
