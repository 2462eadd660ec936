using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UseAfterReleaseAnalyzer, Kernel.Analyzers.CodeFixes.UseAfterReleaseFixer>;

namespace Kernel.Analyzers.Tests.KRN006UseAfterRelease;

/// <summary>KRN006's fix, before and after, including Fix All.</summary>
public class CodeFix
{
    [Fact]
    public Task MovesTheReleaseAfterTheLastUse() =>
        Verifier.CodeFixAsync(
            """
            unsafe class C
            {
                void M(Inode* ip)
                {
                    Kernel.inode_put(ip);
                    {|KRN006:ip|}->Busy = 1;
                    Kernel.Touch({|KRN006:ip|});
                    Kernel.Log(null);
                }
            }
            """ + Code.Prelude,
            """
            unsafe class C
            {
                void M(Inode* ip)
                {
                    ip->Busy = 1;
                    Kernel.Touch(ip);
                    Kernel.inode_put(ip);
                    Kernel.Log(null);
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task SeedShapeMovesUnlinkAfterClose() =>
        Verifier.CodeFixAsync(
            """
            class VirtFs
            {
                static void Unlink(P9File file) { Kernel.MdFree(file.Md); }
                static void Close(P9File file) { if (Kernel.IsBusy(file.Md)) return; }

                static void Run(P9File file)
                {
                    Unlink(file);
                    Close({|KRN006:file|});
                }
            }
            """ + Code.Prelude,
            """
            class VirtFs
            {
                static void Unlink(P9File file) { Kernel.MdFree(file.Md); }
                static void Close(P9File file) { if (Kernel.IsBusy(file.Md)) return; }

                static void Run(P9File file)
                {
                    Close(file);
                    Unlink(file);
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task StopsBeforeTheNullOut() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(Buffer b)
                {
                    b.Release();
                    {|KRN006:b|}.Write(1);
                    b = null;
                }
            }
            """ + Code.Prelude,
            """
            class C
            {
                void M(Buffer b)
                {
                    b.Write(1);
                    b.Release();
                    b = null;
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task NoFixWhenAReturnIsInBetween() =>
        Verifier.CodeFixAsync(
            "class C { void M(Buffer b, bool c) { b.Release(); if (c) return; {|KRN006:b|}.Write(1); } }" + Code.Prelude,
            "class C { void M(Buffer b, bool c) { b.Release(); if (c) return; {|KRN006:b|}.Write(1); } }" + Code.Prelude);

    [Fact]
    public Task UseInAReturnKeepsTheValueFirst() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                int M(Buffer b)
                {
                    b.Release();
                    return {|KRN006:b|}.Length;
                }
            }
            """ + Code.Prelude,
            """
            class C
            {
                int M(Buffer b)
                {
                    var result = b.Length;
                    b.Release();
                    return result;
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task FieldReleaseThroughTheObjectMovesAfterTheUse() =>
        Verifier.CodeFixAsync(
            """
            class Mount
            {
                Metadata md = new Metadata();
                void Unlink() { Kernel.MdFree(md); }
                bool Close() => Kernel.IsBusy(md);

                bool Run()
                {
                    Unlink();
                    return {|KRN006:Close()|};
                }
            }
            """ + Code.Prelude,
            """
            class Mount
            {
                Metadata md = new Metadata();
                void Unlink() { Kernel.MdFree(md); }
                bool Close() => Kernel.IsBusy(md);

                bool Run()
                {
                    var result = Close();
                    Unlink();
                    return result;
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task FixAllMovesEachRelease() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(Buffer a, Buffer b)
                {
                    a.Release();
                    {|KRN006:a|}.Write(1);
                    b.Release();
                    {|KRN006:b|}.Write(2);
                }
            }
            """ + Code.Prelude,
            """
            class C
            {
                void M(Buffer a, Buffer b)
                {
                    a.Write(1);
                    a.Release();
                    b.Write(2);
                    b.Release();
                }
            }
            """ + Code.Prelude);
}
