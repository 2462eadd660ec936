using System.Threading.Tasks;
using Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN004CheckThenUnwrapRace;

/// <summary>One read into a local or a pattern variable: neither KRN004 nor KRN003 reports.</summary>
public partial class Valid
{
    [Theory]
    [InlineData("var mm = task.Mm; if (mm.HasValue) Walk(mm.Value);")]
    [InlineData("if (task.Mm is { } mm) Walk(mm);")]
    [InlineData("if (task.Mm is int mm) Walk(mm);")]
    [InlineData("if (task.Mm is not { } mm) return; Walk(mm);")]
    [InlineData("if (task.CurrentVmar() is { IsSome: true } vmar) Walk(vmar.Unwrap().Pages);")]
    [InlineData("if (task.CurrentVmar().TryUnwrap(out var vmar)) Walk(vmar.Pages);")]
    [InlineData("Walk(task.Mm.GetValueOrDefault());")]
    [InlineData("Walk(task.Mm ?? 0);")]
    [InlineData("if (!task.Mm.HasValue) return; task.Mm = 5; Walk(task.Mm.Value);")]
    [InlineData("var copy = task.AddressSpace; if (copy == null) return; Walk(copy.Value.Pages);")]
    [InlineData("if (other.Mm.HasValue) Walk(task.Mm.GetValueOrDefault());")]
    public Task ReadOnce(string body) =>
        OptionalSources.SilentAsync("static class C { static void Walk(int mm) { } static void F(Process task, Process other) { " + body + " } }");

    [Fact]
    public Task StructFieldsOfALocalAreNotShared() =>
        OptionalSources.SilentAsync("""
            struct Status { public int? Mm; public Inner Nested; }
            struct Inner { public long? Rss; }
            static class C
            {
                static long F(Status s)
                {
                    if (s.Mm.HasValue && s.Nested.Rss.HasValue) return s.Mm.Value + s.Nested.Rss.Value;
                    return 0;
                }
            }
            """);
}
