using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UseAfterReleaseAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN006UseAfterRelease;

/// <summary>Uses after release: exact spans and messages.</summary>
public partial class Diagnostics
{
    private static Task Method(string body) =>
        Verifier.AnalyzerAsync("unsafe class C { void M(Inode* ip, File* f, Buffer b, Pool pool, P9File pf, bool c) { " + body + " } }" + Code.Prelude);

    [Fact]
    public Task SeedShapeUnlinkReleasesCloseUses()
    {
        const string source = """
            class VirtFs
            {
                static void Unlink(P9File file) { Kernel.MdFree(file.Md); }
                static void Close(P9File file) { if (Kernel.IsBusy(file.Md)) return; }

                static void CreateUnlinkClose()
                {
                    var file = new P9File { Md = new Metadata() };
                    {|#1:Unlink(file)|};
                    Close({|#0:file|});
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN006").WithLocation(0).WithLocation(1).WithMessage(
                "'file.Md' is used (used by 'Close') after 'Unlink' released it; move the release after the last use, or take a reference first"));
    }

    /// <summary>A callee that re-assigns the field on some paths only leaves it released on the others.</summary>
    [Fact]
    public Task CalleeReassignsTheReleasedFieldOnlySometimes() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { void M(Vfs v, bool fresh) { v.Unlink(); v.MaybeReopen(fresh); {|KRN006:v.Close()|}; } }" + Code.Vfs + Code.Prelude);

    /// <summary>Snake case puts the release verb between its objects: blk_put_queue, skb_free_datagram.</summary>
    [Fact]
    public Task SnakeCaseReleaseVerbInsideTheName() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { static void inode_put_final(Inode* ip) { } void M(Inode* ip) { inode_put_final(ip); {|KRN006:ip|}->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task DereferenceAfterPutMessage() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { void M(Inode* ip) { {|#1:Kernel.inode_put(ip)|}; {|#0:ip|}->Busy = 1; } }" + Code.Prelude,
            Verifier.Diagnostic("KRN006").WithLocation(0).WithLocation(1).WithMessage(
                "'ip' is used (dereference) after 'inode_put' released it; move the release after the last use, or take a reference first"));

    [Fact]
    public Task SomePathMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Buffer b, bool c) { if (c) {|#1:b.Release()|}; {|#0:b|}.Write(1); } }" + Code.Prelude,
            Verifier.Diagnostic("KRN006").WithLocation(0).WithLocation(1).WithMessage(
                "'b' is used (call to 'Write') after 'Release' released it on some path; move the release after the last use, or take a reference first"));

    [Fact]
    public Task PointerDereferenceAfterPut() => Method("Kernel.inode_put(ip); int x = {|KRN006:ip|}->Busy;");

    [Fact]
    public Task IndirectionAfterPut() => Method("Kernel.inode_put(ip); Inode copy = *{|KRN006:ip|};");

    [Fact]
    public Task IndexAfterKfree() => Method("Kernel.kfree(ip); var x = {|KRN006:ip|}[0];");

    [Fact]
    public Task FieldAccessAfterRelease() => Method("b.Release(); int n = {|KRN006:b|}.Length;");

    [Fact]
    public Task FieldWriteAfterRelease() => Method("b.Release(); {|KRN006:b|}.Length = 0;");

    [Fact]
    public Task CallAfterRelease() => Method("b.Release(); {|KRN006:b|}.Write(3);");

    [Fact]
    public Task PassedOnAfterRelease() => Method("b.Release(); Kernel.Log({|KRN006:b|});");

    [Fact]
    public Task DoubleRelease() => Method("Kernel.inode_put(ip); Kernel.inode_put({|KRN006:ip|});");

    [Fact]
    public Task ReleasedByPoolFree() => Method("pool.Free(b); {|KRN006:b|}.Write(1);");

    [Fact]
    public Task ReleasedByParameterAttribute() => Method("Kernel.Drop(b, null); {|KRN006:b|}.Write(1);");

    [Fact]
    public Task ReleasedByMethodAttribute() => Method("Kernel.Dispose2(b); {|KRN006:b|}.Write(1);");

    [Fact]
    public Task AliasUsedAfterRelease() => Method("var q = ip; Kernel.inode_put(ip); {|KRN006:q|}->Busy = 1;");

    [Fact]
    public Task ReleasedThroughAliasOriginalUsed() => Method("var q = ip; Kernel.inode_put(q); {|KRN006:ip|}->Busy = 1;");

    [Fact]
    public Task FieldOfPointerReleasedThenUsed() => Method("Kernel.inode_put(f->Inode); {|KRN006:f->Inode|}->Busy = 1;");

    [Fact]
    public Task FieldOfPointerReleasedThenPassed() => Method("Kernel.inode_put(f->Inode); Kernel.Touch({|KRN006:f->Inode|});");

    [Fact]
    public Task FieldOfObjectReleasedThenUsed() => Method("Kernel.MdFree(pf.Md); int w = {|KRN006:pf.Md|}.Watched;");

    [Fact]
    public Task LocalCopyOfFieldReleasedThenFieldUsed() => Method("var ino = f->Inode; Kernel.inode_put(ino); {|KRN006:f->Inode|}->Busy = 0;");

    [Fact]
    public Task ReleaseInLoopIsADoubleReleaseOnTheNextIteration() => Method("for (int i = 0; i < 2; i++) { Kernel.inode_put({|KRN006:ip|}); }");

    [Fact]
    public Task UseAfterReleaseInBothBranches() => Method("if (c) Kernel.inode_put(ip); else Kernel.kfree(ip); {|KRN006:ip|}->Busy = 1;");

    [Fact]
    public Task EveryLaterUseIsReported() => Method("b.Release(); {|KRN006:b|}.Write(1); {|KRN006:b|}.Write(2);");

    [Fact]
    public Task ReferenceTakenOnlyOnce() => Method("Kernel.inode_ref(ip); Kernel.inode_put(ip); Kernel.inode_put(ip); {|KRN006:ip|}->Busy = 1;");

    [Fact]
    public Task CalleeReleasesParameter() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { static void Drop(Inode* ip) { Kernel.inode_put(ip); } void M(Inode* ip) { Drop(ip); {|KRN006:ip|}->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task CalleeReleasesThroughTwoLevels() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { static void A(Inode* ip) { B(ip); } static void B(Inode* ip) { Kernel.inode_put(ip); } void M(Inode* ip) { A(ip); {|KRN006:ip|}->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task CalleeReleasesFieldOfPointerCalleeUsesIt() =>
        Verifier.AnalyzerAsync("""
            unsafe class C
            {
                static void Unlink(File* f) { Kernel.inode_put(f->Inode); }
                static void Close(File* f) { Kernel.Touch(f->Inode); }
                void M(File* f) { Unlink(f); Close({|KRN006:f|}); }
            }
            """ + Code.Prelude);

    [Fact]
    public Task LongLivedObjectFieldReleasedByOneMethodUsedByAnother() =>
        Verifier.AnalyzerAsync("""
            class Mount
            {
                Metadata md = new Metadata();
                void Unlink() { Kernel.MdFree(md); }
                bool Close() => Kernel.IsBusy(md);
                void Run() { Unlink(); {|KRN006:Close()|}; }
            }
            """ + Code.Prelude);

    [Fact]
    public Task LongLivedObjectFieldThroughAnotherReceiver() =>
        Verifier.AnalyzerAsync("""
            class Mount
            {
                public Metadata md = new Metadata();
                public void Unlink() { Kernel.MdFree(md); }
                public bool Close() => Kernel.IsBusy(md);
            }

            class User
            {
                void Run(Mount m) { m.Unlink(); {|KRN006:m.Close()|}; }
            }
            """ + Code.Prelude);

    [Fact]
    public Task StaticFieldReleasedThenUsed() =>
        Verifier.AnalyzerAsync("class C { static Buffer shared; void M() { shared.Release(); {|KRN006:shared|}.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task UseInsideLambdaBodyAfterRelease() => Method("System.Action a = () => { var x = new Buffer(); x.Release(); {|KRN006:x|}.Write(1); }; a();");

    [Fact]
    public Task UseInLocalFunctionAfterRelease() => Method("void Local(Buffer y) { y.Release(); {|KRN006:y|}.Write(1); } Local(b);");

    [Fact]
    public Task UseAfterReleaseInTryFinally() => Method("try { b.Release(); } finally { {|KRN006:b|}.Write(1); }");

    [Fact]
    public Task UseInSwitchAfterRelease() => Method("b.Release(); switch (c) { case true: {|KRN006:b|}.Write(1); break; }");

    [Fact]
    public Task DecRefIsARelease() =>
        Verifier.AnalyzerAsync("class C { static void DecRef(Buffer b) { } void M(Buffer b) { DecRef(b); {|KRN006:b|}.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task DestroyIsARelease() =>
        Verifier.AnalyzerAsync("class C { static void sock_destroy(Buffer s) { } void M(Buffer s) { sock_destroy(s); {|KRN006:s|}.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task NintHandleFreedThenPassed() =>
        Verifier.AnalyzerAsync("class C { static void Free(nint p) { } static void Use(nint p) { } void M(nint p) { Free(p); Use({|KRN006:p|}); } }" + Code.Prelude);
}
