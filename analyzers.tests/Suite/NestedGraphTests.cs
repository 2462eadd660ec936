using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// A lambda's control flow graph sits inside its method's regions. A try around the lambda (a foreach's finally, a
/// catch) belongs to the method: its handlers are the method's blocks, not the lambda's (found in Cosmos' debug
/// engine, where every flow rule threw an IndexOutOfRangeException on such a lambda).
/// </summary>
public class NestedGraphTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        public sealed class Conn { public int Flags; }

        public static class Net
        {
            public static Conn Accept(int port) => null;
        }

        public sealed class Engine
        {
            private readonly List<List<int?>> pending = new();

            public int Sum(bool clear)
            {
                var total = 0;
                try
                {
                    if (clear) { total = 1; } else { total = 2; }
                    if (total > 1) { total++; } else { total--; }
                    if (total > 3) { total++; } else { total--; }
                    foreach (var list in pending)
                    {
                        total += list.Select(x => x.Value).Sum();
                        total += list.Select(x => Net.Accept(x ?? 0).Flags).Sum();
                    }
                }
                catch (InvalidOperationException)
                {
                    total = -1;
                }
                finally
                {
                    total += 0;
                }

                return total;
            }
        }
        """;

    [Fact]
    public async Task LambdaInsideATryIsAnalysedOnItsOwnGraph()
    {
        var compilation = await Analysis.CompileAsync(new[] { ("Engine.cs", Source) });
        var diagnostics = await Analysis.AnalyzeAsync(compilation);

        var found = diagnostics.Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToArray();
        Assert.Equal(new[] { ("KRN003", 26), ("KRN001", 27) }, found);
    }
}
