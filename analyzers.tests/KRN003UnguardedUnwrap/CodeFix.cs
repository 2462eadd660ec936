using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UnguardedUnwrapAnalyzer, Kernel.Analyzers.CodeFixes.UnguardedUnwrapFixer>;

namespace Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;

/// <summary>KRN003's fix: a match with an early exit in the function's failure convention, or TryUnwrap.</summary>
public partial class CodeFix
{
    private static Task FixAsync(string before, string after) =>
        Verifier.CodeFixAsync(before + OptionalSources.Types, after + OptionalSources.Types);

    [Fact]
    public Task SeedReturnsTheErrorCodeTheMethodAlreadyUses() =>
        FixAsync(
            """
            static class ProcFs
            {
                static Process Find(int pid) => null;

                static int Status(int pid, long[] buf)
                {
                    var proc = Find(pid);
                    if (proc == null)
                    {
                        return -Errno.ESRCH;
                    }

                    buf[0] = {|KRN003:proc.AddressSpace.Value|}.Size;
                    buf[1] = proc.AddressSpace.Value.Pages;
                    return 0;
                }
            }
            """,
            """
            static class ProcFs
            {
                static Process Find(int pid) => null;

                static int Status(int pid, long[] buf)
                {
                    var proc = Find(pid);
                    if (proc == null)
                    {
                        return -Errno.ESRCH;
                    }

                    if (proc.AddressSpace is not { } addressSpace)
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
    public Task VoidMethodReturns() =>
        FixAsync(
            """
            static class C
            {
                static void Walk(int mm) { }
                static void F(Process task)
                {
                    Walk({|KRN003:task.Mm.Value|});
                }
            }
            """,
            """
            static class C
            {
                static void Walk(int mm) { }
                static void F(Process task)
                {
                    if (task.Mm is not { } mm)
                    {
                        return;
                    }

                    Walk(mm);
                }
            }
            """);

    [Fact]
    public Task BoolMethodReturnsFalseAndCastBecomesTheValue() =>
        FixAsync(
            """
            static class C
            {
                static bool F(int? o)
                {
                    var big = {|KRN003:(int)o|} > 10;
                    return big;
                }
            }
            """,
            """
            static class C
            {
                static bool F(int? o)
                {
                    if (o is not { } oValue)
                    {
                        return false;
                    }

                    var big = oValue > 10;
                    return big;
                }
            }
            """);

    [Fact]
    public Task ReferenceMethodReturnsNullAndTryUnwrapIsUsed() =>
        FixAsync(
            """
            static class C
            {
                static string F(Process proc)
                {
                    var vm = {|KRN003:proc.CurrentVmar().Unwrap()|};
                    return vm.Pages.ToString();
                }
            }
            """,
            """
            static class C
            {
                static string F(Process proc)
                {
                    if (!proc.CurrentVmar().TryUnwrap(out var currentVmar))
                    {
                        return null;
                    }

                    var vm = currentVmar;
                    return vm.Pages.ToString();
                }
            }
            """);

    [Fact]
    public Task OptionWithoutTryUnwrapIsMatchedOnItsPresence() =>
        FixAsync(
            """
            static class C
            {
                static long F(Maybe<Vmar> guard)
                {
                    return {|KRN003:guard.Get()|}.Size;
                }
            }
            """,
            """
            static class C
            {
                static long F(Maybe<Vmar> guard)
                {
                    if (guard is not { IsPresent: true } guardValue)
                    {
                        return -1;
                    }

                    return guardValue.Get().Size;
                }
            }
            """);

    [Fact]
    public Task ForcedPointerIsCheckedInALocal() =>
        FixAsync(
            """
            unsafe struct Pcb { public int State; }
            class MayReturnNullAttribute : System.Attribute { }
            unsafe static class C
            {
                [MayReturnNull] static extern Pcb* FindPcb(int port);
                static int F(int port)
                {
                    return {|KRN003:FindPcb(port)!|}->State;
                }
            }
            """,
            """
            unsafe struct Pcb { public int State; }
            class MayReturnNullAttribute : System.Attribute { }
            unsafe static class C
            {
                [MayReturnNull] static extern Pcb* FindPcb(int port);
                static int F(int port)
                {
                    var findPcb = FindPcb(port);
                    if (findPcb == null)
                    {
                        return -1;
                    }

                    return findPcb->State;
                }
            }
            """);

    [Fact]
    public Task IteratorYieldsBreak() =>
        FixAsync(
            """
            static class C
            {
                static System.Collections.Generic.IEnumerable<int> F(int? o)
                {
                    yield return {|KRN003:o.Value|};
                }
            }
            """,
            """
            static class C
            {
                static System.Collections.Generic.IEnumerable<int> F(int? o)
                {
                    if (o is not { } oValue)
                    {
                        yield break;
                    }

                    yield return oValue;
                }
            }
            """);

    [Fact]
    public Task FixAllFixesEveryMethod() =>
        FixAsync(
            """
            static class C
            {
                static int A(Process p)
                {
                    return {|KRN003:p.Mm.Value|};
                }

                static int B(int? o, int? q)
                {
                    var x = {|KRN003:o.Value|};
                    return x + {|KRN003:q.Value|};
                }
            }
            """,
            """
            static class C
            {
                static int A(Process p)
                {
                    if (p.Mm is not { } mm)
                    {
                        return -1;
                    }

                    return mm;
                }

                static int B(int? o, int? q)
                {
                    if (o is not { } oValue)
                    {
                        return -1;
                    }

                    var x = oValue;
                    if (q is not { } qValue)
                    {
                        return -1;
                    }

                    return x + qValue;
                }
            }
            """);
}
