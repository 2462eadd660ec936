using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UseAfterReleaseAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN006UseAfterRelease;

/// <summary>Code that never touches a released object: the rule stays silent.</summary>
public partial class Valid
{
    private static Task Method(string body) =>
        Verifier.AnalyzerAsync("unsafe class C { void M(Inode* ip, File* f, Buffer b, Pool pool, P9File pf, bool c) { " + body + " } }" + Code.Prelude);

    [Fact]
    public Task ReleaseIsTheLastUse() => Method("ip->Busy = 1; Kernel.inode_put(ip);");

    [Fact]
    public Task ReassignedAfterRelease() => Method("Kernel.inode_put(ip); ip = Kernel.Alloc(); ip->Busy = 1;");

    [Fact]
    public Task NulledOutAfterRelease() => Method("Kernel.inode_put(ip); ip = null; if (ip != null) ip->Busy = 1;");

    [Fact]
    public Task ComparedAfterRelease() => Method("Kernel.inode_put(ip); if (ip == null) return;");

    [Fact]
    public Task ReferenceTakenBeforeRelease() => Method("Kernel.inode_ref(ip); Kernel.inode_put(ip); ip->Busy = 1;");

    [Theory]
    [InlineData("ihold")]
    [InlineData("iget")]
    [InlineData("sock_hold")]
    public Task LinuxStyleReferenceTakenBeforeRelease(string take) =>
        Method($"Kernel.{take}(ip); Kernel.iput(ip); ip->Busy = 1;");

    [Fact]
    public Task CalleeReassignsTheReleasedField() =>
        Verifier.AnalyzerAsync(
            "unsafe class C { void M(Vfs v) { v.Unlink(); v.Reopen(); v.Close(); } }" + Code.Vfs + Code.Prelude);

    [Fact]
    public Task AddRefBeforeRelease() => Method("b.AddRef(); b.Release(); b.Write(1);");

    [Fact]
    public Task FieldNulledOutAfterRelease() => Method("Kernel.inode_put(f->Inode); f->Inode = null;");

    [Fact]
    public Task FieldReassignedAfterRelease() => Method("Kernel.inode_put(f->Inode); f->Inode = Kernel.Alloc(); f->Inode->Busy = 1;");

    [Fact]
    public Task OtherFieldOfTheOwnerStillUsable() => Method("Kernel.inode_put(f->Inode); f->Flags = 0;");

    [Fact]
    public Task ReleaseOnOtherBranch() => Method("if (c) { Kernel.inode_put(ip); return; } ip->Busy = 1;");

    [Fact]
    public Task LinkedListFreeLoop() =>
        Verifier.AnalyzerAsync("unsafe struct Node { public Node* Next; } unsafe class C { static void Free(Node* n) { } void M(Node* head) { while (head != null) { var next = head->Next; Free(head); head = next; } } }");

    [Fact]
    public Task LockReleaseIsAnUnlock() =>
        Verifier.AnalyzerAsync("class C { SpinLock l = new SpinLock(); void M() { l.Acquire(); l.Release(); l.Acquire(); l.Release(); } }" + Code.Prelude);

    [Fact]
    public Task SemaphoreReleaseIsAnUnlock() =>
        Verifier.AnalyzerAsync("class C { void M(System.Threading.SemaphoreSlim s) { s.Release(); s.Wait(); s.Release(); } }");

    [Fact]
    public Task MutexNamedTypeWithoutInitIsNotATarget() =>
        Verifier.AnalyzerAsync("class RcuMutex { public void Release() { } public void Take() { } } class C { void M(RcuMutex m) { m.Release(); m.Take(); } }");

    [Fact]
    public Task PutWithKeyAndValueIsAContainerVerb() =>
        Verifier.AnalyzerAsync("class Map { public void Put(object k, object v) { } public object Get(object k) => null; } class C { void M(Map m, object k) { m.Put(k, k); m.Get(k); } }");

    /// <summary>Cosmos' heap: NextFreeBlock finds a free block of the page it is given; it frees nothing.</summary>
    [Fact]
    public Task ReleaseWordInsideAPascalCaseNameIsAnAdjective() =>
        Verifier.AnalyzerAsync("class C { static Buffer NextFreeBlock(Buffer b) => b; static Buffer AllocFreeSlot(Buffer b) => b; void M(Buffer b) { NextFreeBlock(b); AllocFreeSlot(b); b.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task QueryNamesAreNotReleases() =>
        Verifier.AnalyzerAsync("class C { static int GetFreeCount(Buffer b) => 0; static bool IsReleased(Buffer b) => false; void M(Buffer b) { GetFreeCount(b); IsReleased(b); b.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task DisposeIsNotARelease() =>
        Verifier.AnalyzerAsync("class C { void M(System.IO.MemoryStream s) { s.Dispose(); s.Dispose(); } }");

    [Fact]
    public Task UsingDeclarationEndsTheScope() =>
        Verifier.AnalyzerAsync("class C { void M() { using var s = new System.IO.MemoryStream(); s.WriteByte(1); } }");

    [Fact]
    public Task StringsAreNotTracked() =>
        Verifier.AnalyzerAsync("class C { static void Free(string s) { } static void Use(string s) { } void M(string s) { Free(s); Use(s); } }");

    [Fact]
    public Task CalleeThatNullsOutDoesNotRelease() =>
        Verifier.AnalyzerAsync("""
            class VirtFs
            {
                static void Unlink(P9File file) { Kernel.MdFree(file.Md); file.Md = null; }
                static void Close(P9File file) { if (file.Md != null && Kernel.IsBusy(file.Md)) return; }
                static void Run() { var file = new P9File { Md = new Metadata() }; Unlink(file); Close(file); }
            }
            """ + Code.Prelude);

    [Fact]
    public Task CalleeThatReleasesOnlySometimesIsNotASummaryRelease() =>
        Verifier.AnalyzerAsync("unsafe class C { static void Maybe(Inode* ip) { if (ip->Refs == 0) Kernel.inode_put(ip); } void M(Inode* ip) { Maybe(ip); ip->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task CalleeTakesAReferenceFirst() =>
        Verifier.AnalyzerAsync("unsafe class C { static void Hold(Inode* ip) { Kernel.inode_ref(ip); Kernel.inode_put(ip); } void M(Inode* ip) { Hold(ip); ip->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task CloseBeforeUnlink() =>
        Verifier.AnalyzerAsync("""
            class VirtFs
            {
                static void Unlink(P9File file) { Kernel.MdFree(file.Md); }
                static void Close(P9File file) { if (Kernel.IsBusy(file.Md)) return; }
                static void Run() { var file = new P9File { Md = new Metadata() }; Close(file); Unlink(file); }
            }
            """ + Code.Prelude);

    [Fact]
    public Task ReleaseOfOneObjectDoesNotTouchAnother() => Method("var other = Kernel.Alloc(); Kernel.inode_put(ip); other->Busy = 1;");

    [Fact]
    public Task AliasReassignedBeforeRelease() => Method("var q = ip; q = Kernel.Alloc(); Kernel.inode_put(ip); q->Busy = 1;");

    [Fact]
    public Task ReleaseInLoopWithReassignment() => Method("for (int i = 0; i < 2; i++) { var p = Kernel.Alloc(); p->Busy = i; Kernel.inode_put(p); }");

    [Fact]
    public Task OutArgumentReassigns() =>
        Verifier.AnalyzerAsync("unsafe class C { static void Open(out Inode* ip) { ip = null; } void M(Inode* ip) { Kernel.inode_put(ip); Open(out ip); ip->Busy = 1; } }" + Code.Prelude);

    [Fact]
    public Task ValueTypeCopiesAreNotTracked() =>
        Verifier.AnalyzerAsync("struct Handle { public int Id; } class C { static void Free(Handle h) { } static void Use(Handle h) { } void M(Handle h) { Free(h); Use(h); } }");

    [Fact]
    public Task TwoObjectsPassedNeedTheAttribute() =>
        Verifier.AnalyzerAsync("class C { static void Release(Buffer a, Buffer b) { } void M(Buffer a, Buffer b) { Release(a, b); a.Write(1); b.Write(2); } }" + Code.Prelude);

    [Fact]
    public Task PoolGetAfterFreeOfAnotherBuffer() => Method("pool.Free(b); var fresh = pool.Get(); fresh.Write(1);");
}
