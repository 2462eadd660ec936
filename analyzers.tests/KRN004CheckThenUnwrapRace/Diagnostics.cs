using System.Threading.Tasks;
using Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.CheckThenUnwrapRaceAnalyzer>;
using Verify003 = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UnguardedUnwrapAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN004CheckThenUnwrapRace;

/// <summary>KRN004 reports an unwrap on a second read of a shared resource whose presence was tested on the first.</summary>
public partial class Diagnostics
{
    private static Task ExpectAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier.AnalyzerAsync(source + OptionalSources.Types, expected);

    [Fact]
    public async Task TaskMmReadTwiceIsKrn004AndNotKrn003()
    {
        const string source = """
            static class C
            {
                static void Walk(int mm) { }
                static void F(Process task)
                {
                    if ({|#1:task.Mm.HasValue|}) Walk({|#0:task.Mm.Value|});
                }
            }
            """;
        await ExpectAsync(
            source,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1).WithMessage(
                "'task.Mm' is checked on one read and unwrapped with '.Value' on another; another CPU can clear it in between: read it once into a local and test that"));
        await Verify003.AnalyzerAsync(source.Replace("{|#1:", string.Empty).Replace("{|#0:", string.Empty).Replace("|}", string.Empty) + OptionalSources.Types);
    }

    [Fact]
    public Task LockReleaseBetween() =>
        ExpectAsync(
            """
            static class C
            {
                static long F(Process proc, SpinLock table)
                {
                    table.Lock();
                    if (!{|#1:proc.AddressSpace.HasValue|}) { table.Unlock(); return -Errno.ESRCH; }
                    table.Unlock();
                    return {|#0:proc.AddressSpace.Value|}.Size;
                }
            }
            """,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1).WithMessage(
                "'proc.AddressSpace' is checked on one read and unwrapped with '.Value' on another, with a lock release ('Unlock') between them; another CPU can clear it in between: read it once into a local and test that"));

    [Fact]
    public Task AwaitBetween() =>
        ExpectAsync(
            """
            using System.Threading.Tasks;
            static class C
            {
                static async Task<long> F(Process proc)
                {
                    if ({|#1:proc.AddressSpace == null|}) return 0;
                    await Task.Yield();
                    return {|#0:proc.AddressSpace.Value|}.Size;
                }
            }
            """,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1).WithMessage(
                "'proc.AddressSpace' is checked on one read and unwrapped with '.Value' on another, with an 'await' between them; another CPU can clear it in between: read it once into a local and test that"));

    [Fact]
    public Task YieldBetween() =>
        ExpectAsync(
            """
            static class C
            {
                static System.Collections.Generic.IEnumerable<long> F(Process proc)
                {
                    if (!{|#1:proc.AddressSpace.HasValue|}) yield break;
                    yield return 1;
                    yield return {|#0:proc.AddressSpace.Value|}.Size;
                }
            }
            """,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1).WithMessage(
                "'proc.AddressSpace' is checked on one read and unwrapped with '.Value' on another, with a 'yield return' between them; another CPU can clear it in between: read it once into a local and test that"));

    [Fact]
    public Task MutatingCallBetween() =>
        ExpectAsync(
            """
            static class C
            {
                static long F(Process proc)
                {
                    if (!{|#1:proc.AddressSpace.HasValue|}) return 0;
                    proc.Exit();
                    return {|#0:proc.AddressSpace.Value|}.Size;
                }
            }
            """,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1).WithMessage(
                "'proc.AddressSpace' is checked on one read and unwrapped with '.Value' on another, with a call that may change 'proc' ('Exit') between them; another CPU can clear it in between: read it once into a local and test that"));

    [Theory]
    [InlineData("if (proc.AddressSpace.HasValue) return {|KRN004:proc.AddressSpace.Value|}.Pages; return 0;")]
    [InlineData("if (!proc.Mm.HasValue) return -Errno.ESRCH; return {|KRN004:proc.Mm.Value|};")]
    [InlineData("if (proc.Mm != null) return {|KRN004:(int)proc.Mm|}; return 0;")]
    [InlineData("if (proc.Mm is { }) return {|KRN004:proc.Mm.Value|}; return 0;")]
    [InlineData("if (proc.Mm is not null) return {|KRN004:proc.Mm.Value|}; return 0;")]
    [InlineData("return proc.Mm.HasValue && {|KRN004:proc.Mm.Value|} > 0 ? 1 : 0;")]
    [InlineData("return proc.Mm.HasValue ? {|KRN004:proc.Mm.Value|} : 0;")]
    [InlineData("System.Diagnostics.Debug.Assert(proc.Mm.HasValue); return {|KRN004:proc.Mm.Value|};")]
    [InlineData("if (proc.CurrentVmar().IsSome) return {|KRN004:proc.CurrentVmar().Unwrap()|}.Pages; return 0;")]
    [InlineData("if (proc.CurrentVmar().IsNone) return 0; return {|KRN004:proc.CurrentVmar().Expect(\"mapped\")|}.Pages;")]
    [InlineData("if (proc.Guard.IsPresent) return {|KRN004:proc.Guard.Get()|}.Pages; return 0;")]
    [InlineData("if (slots[pid].HasValue) return {|KRN004:slots[pid].Value|}; return 0;")]
    [InlineData("if (Table.Find(pid).HasValue) return {|KRN004:Table.Find(pid).Value|}; return 0;")]
    [InlineData("if (Table.Current.HasValue) return {|KRN004:Table.Current.Value|}; return 0;")]
    [InlineData("if (proc.Mm.HasValue) { var a = {|KRN004:proc.Mm.Value|}; var b = {|KRN004:proc.Mm.Value|}; return a + b; } return 0;")]
    [InlineData("while (proc.Mm.HasValue) { return {|KRN004:proc.Mm.Value|}; } return 0;")]
    [InlineData("switch (proc.Mm) { case null: return 0; default: return {|KRN004:proc.Mm.Value|}; }")]
    [InlineData("if (proc.Mm.HasValue) { var mm = proc.Mm; return {|KRN004:mm.Value|}; } return 0;")]
    [InlineData("if (proc.Mm > 0) return {|KRN004:proc.Mm.Value|}; return 0;")]
    [InlineData("if (proc.Mm is 1 or 2) return {|KRN004:proc.Mm.Value|}; return 0;")]
    [InlineData("if (proc.Mm.HasValue is false) return 0; return {|KRN004:proc.Mm.Value|};")]
    public Task SecondReads(string body) =>
        ExpectAsync("""
            static class Table
            {
                public static int? Current;
                public static int? Find(int pid) => null;
            }
            static class C { static int F(Process proc, int?[] slots, int pid) {
            """ + body + " } }");

    [Fact]
    public Task ThisFieldsPlainAndQualified() =>
        ExpectAsync("""
            class Task
            {
                private int? _mm;
                int F() => _mm.HasValue ? {|KRN004:_mm.Value|} : 0;
                int G() { if (this._mm.HasValue) return {|KRN004:this._mm.Value|}; return 0; }
            }
            """);

    [Fact]
    public Task ForcedSourceCalledTwice() =>
        ExpectAsync("""
            unsafe struct Pcb { public int State; }
            class MayReturnNullAttribute : System.Attribute { }
            unsafe static class C
            {
                [MayReturnNull] static extern Pcb* Find(int pid);
                static int F(int pid) => Find(pid) != null ? {|KRN004:Find(pid)!|}->State : 0;
            }
            """);

    [Fact]
    public Task ConditionalOnASharedField() =>
        ExpectAsync(
            """
            static class C
            {
                static long F(Process task) => {|#1:task.Mm.HasValue|} ? {|#0:task.Mm.Value|} : 0;
            }
            """,
            Verifier.Diagnostic("KRN004").WithLocation(0).WithLocation(1));
}
