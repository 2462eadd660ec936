using System.Threading.Tasks;
using Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.CheckThenUnwrapRaceAnalyzer, Kernel.Analyzers.CodeFixes.CheckThenUnwrapRaceFixer>;

namespace Kernel.Analyzers.Tests.KRN004CheckThenUnwrapRace;

/// <summary>KRN004's fix: one read into a pattern variable, used in place of every guarded unwrap.</summary>
public partial class CodeFix
{
    private static Task FixAsync(string before, string after) =>
        Verifier.CodeFixAsync(before + OptionalSources.Types, after + OptionalSources.Types);

    [Fact]
    public Task IfHasValueBecomesAPattern() =>
        FixAsync(
            """
            static class C
            {
                static void Walk(int mm) { }
                static void F(Process task)
                {
                    if (task.Mm.HasValue) Walk({|KRN004:task.Mm.Value|});
                }
            }
            """,
            """
            static class C
            {
                static void Walk(int mm) { }
                static void F(Process task)
                {
                    if (task.Mm is { } mm) Walk(mm);
                }
            }
            """);

    [Fact]
    public Task EarlyExitBecomesANegatedPatternAndFixAllTakesEveryRead() =>
        FixAsync(
            """
            static class C
            {
                static int F(Process proc, long[] buf)
                {
                    if (proc == null || !proc.AddressSpace.HasValue)
                    {
                        return -Errno.ESRCH;
                    }

                    buf[0] = {|KRN004:proc.AddressSpace.Value|}.Size;
                    buf[1] = {|KRN004:proc.AddressSpace.Value|}.Pages;
                    return 0;
                }
            }
            """,
            """
            static class C
            {
                static int F(Process proc, long[] buf)
                {
                    if (proc == null || proc.AddressSpace is not { } addressSpace)
                    {
                        return -Errno.ESRCH;
                    }

                    buf[0] = addressSpace.Size;
                    buf[1] = addressSpace.Pages;
                    return 0;
                }
            }
            """);

    [Fact]
    public Task NullComparisonAndCast() =>
        FixAsync(
            """
            static class C
            {
                static int F(Process proc) => proc.Mm != null ? {|KRN004:(int)proc.Mm|} : 0;
            }
            """,
            """
            static class C
            {
                static int F(Process proc) => proc.Mm is { } mm ? mm : 0;
            }
            """);

    [Fact]
    public Task OptionCallMatchesOnItsPresenceMember() =>
        FixAsync(
            """
            static class C
            {
                static long F(Process proc)
                {
                    if (proc.CurrentVmar().IsNone) return 0;
                    return {|KRN004:proc.CurrentVmar().Unwrap()|}.Size;
                }
            }
            """,
            """
            static class C
            {
                static long F(Process proc)
                {
                    if (proc.CurrentVmar() is not { IsSome: true } currentVmar) return 0;
                    return currentVmar.Unwrap().Size;
                }
            }
            """);

    [Fact]
    public Task ThisFieldInAConjunction() =>
        FixAsync(
            """
            class Task
            {
                private int? _mm;
                bool Mapped() => _mm.HasValue && {|KRN004:_mm.Value|} > 0;
            }
            """,
            """
            class Task
            {
                private int? _mm;
                bool Mapped() => _mm is { } mm && mm > 0;
            }
            """);
}
