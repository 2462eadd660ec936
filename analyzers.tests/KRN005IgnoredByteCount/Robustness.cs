using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN005IgnoredByteCount;

/// <summary>Broken, incomplete and corelib-less code: the rule degrades and never throws (no AD0001).</summary>
public class Robustness
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rule = ImmutableArray.Create<DiagnosticAnalyzer>(new IgnoredByteCountAnalyzer());

    [Theory]
    [InlineData("class C { void M(Sock k, byte[] b) { k.Recv(b, 0, ; } }")]
    [InlineData("class C { void M(Sock k, byte[] b) { int n = k.Recv(b, 0, 4) if (n == 0) return; Net.Consume(b); } }")]
    [InlineData("class C { void M(Missing k, byte[] b) { k.Read(b, 0, 4); int n = k.Recv(b); } }")]
    [InlineData("class C { void M(Sock k, Unknown b) { k.Recv(b, 0, 4); } }")]
    [InlineData("class C { void M(Sock k, byte[] b) { for (int o = 0; o < ; o += 4) { int n = k.Recv(b, o, 4); } } }")]
    [InlineData("class C { void M(Sock k, byte[] b) { while (k.Recv(b, 0, 4) > ) Net.Consume(b); } }")]
    [InlineData("class C { void M(Sock k, byte[] b) { do { int n = k.Recv(b, 0, 4); } while (n == 4); } }")]
    [InlineData("class C { int M(Sock k, byte[] b) => k.Recv(b, 0, ")]
    [InlineData("class C { void M(Sock k, byte[] b) { goto x; int n = k.Recv(b, 0, 4); } }")]
    [InlineData("class C { void M(dynamic k, byte[] b) { k.Recv(b, 0, 4); int n = k.Read(b); } }")]
    [InlineData("class C { void M(Sock k, byte[] b) { int n = k.Recv(b, 0, 4); n += ; Net.Consume(b); } }")]
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
                public struct Byte { }
                public abstract class ValueType { }
                public class String { }
                public abstract class Attribute { }
                public abstract class Array { }
            }

            namespace Kernel
            {
                public static unsafe class Tcp
                {
                    public static extern int tcp_read(int fd, byte* buf, int len);
                    public static void Use(byte* buf)
                    {
                        tcp_read(1, buf, 16);
                        int n = tcp_read(1, buf, 16);
                    }
                }
            }
            """;
        var compilation = Analysis.CompileWithOwnCorelib(corelib);
        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rule);
        var lines = diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        Assert.Equal(new[] { 21, 22 }, lines);
    }
}
