using System.Threading.Tasks;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;

/// <summary>Every guard form of the contract: neither KRN003 nor KRN004 reports.</summary>
public partial class Valid
{
    private const string Prelude = """
        using System.Diagnostics;
        using System.Diagnostics.CodeAnalysis;

        public static class Kernel
        {
            [DoesNotReturn] public static void Panic(string message) => throw new System.Exception(message);
            public static int? Next() => null;
        }

        """;

    [Theory]
    [InlineData("if (o.HasValue) return o.Value; return 0;")]
    [InlineData("if (!o.HasValue) return 0; return o.Value;")]
    [InlineData("if (o.HasValue == false) return 0; return o.Value;")]
    [InlineData("return o.HasValue ? o.Value : 0;")]
    [InlineData("return o.HasValue && o.Value > 3 ? 1 : 0;")]
    [InlineData("if (!o.HasValue || o.Value < 0) return 0; return o.Value;")]
    [InlineData("if (o != null) return o.Value; return 0;")]
    [InlineData("if (o == null) return 0; return (int)o;")]
    [InlineData("if (o is { } v) return v; return 0;")]
    [InlineData("if (o is int v) return v + o.Value; return 0;")]
    [InlineData("if (o is not null) return o.Value; return 0;")]
    [InlineData("if (o is null) throw new System.Exception(); return o.Value;")]
    [InlineData("return o.GetValueOrDefault();")]
    [InlineData("return o.GetValueOrDefault(7);")]
    [InlineData("return o ?? 3;")]
    [InlineData("switch (o) { case null: return 0; default: return o.Value; }")]
    [InlineData("return o switch { null => 0, int v => v };")]
    [InlineData("Debug.Assert(o.HasValue); return o.Value;")]
    [InlineData("if (!o.HasValue) Kernel.Panic(\"no value\"); return o.Value;")]
    [InlineData("int? x = 5; return x.Value;")]
    [InlineData("var x = new int?(4); return x.Value;")]
    [InlineData("o = 4; return o.Value;")]
    [InlineData("o ??= 1; return o.Value;")]
    [InlineData("while (!o.HasValue) o = Kernel.Next(); return o.Value;")]
    [InlineData("for (var i = 0; i < 3 && o.HasValue; i++) { if (o.Value > i) return i; } return 0;")]
    [InlineData("try { if (!o.HasValue) return 0; return o.Value; } finally { o = null; }")]
    [InlineData("if (o.HasValue) { System.Func<int> f = () => o.Value; return f(); } return 0;")]
    [InlineData("return o?.GetHashCode() ?? 0;")]
    [InlineData("if (o > 0) return o.Value; return 0;")]
    [InlineData("if (o == 5) return o.Value; return 0;")]
    [InlineData("if (o != 5) return 0; return o.Value;")]
    [InlineData("if (o is > 0) return o.Value; return 0;")]
    [InlineData("if (o is 1 or 2) return o.Value; return 0;")]
    [InlineData("if (o is null or 0) return 0; return o.Value;")]
    [InlineData("if (o.HasValue is false) return 0; return o.Value;")]
    [InlineData("if (o.HasValue is true) return o.Value; return 0;")]
    public Task NullableGuards(string body) =>
        OptionalSources.SilentAsync(Prelude + "static class C { static int F(int? o) { " + body + " } }");

    [Theory]
    [InlineData("if (p.IsSome) return p.Unwrap(); return 0;")]
    [InlineData("if (p.IsNone) return 0; return p.Unwrap();")]
    [InlineData("if (!p.IsNone) return p.Expect(\"set at fork\"); return 0;")]
    [InlineData("if (p.TryUnwrap(out _)) return p.Unwrap(); return 0;")]
    [InlineData("return p.TryUnwrap(out var v) ? v : 0;")]
    [InlineData("return p.UnwrapOr(0);")]
    [InlineData("var q = Option.Some(3); return q.Unwrap();")]
    [InlineData("var q = Option<int>.Some(3); return q.Expect(\"just built\");")]
    [InlineData("if (p is { IsSome: true }) return p.Unwrap(); return 0;")]
    [InlineData("if (p is { IsNone: false } q) return q.Unwrap(); return 0;")]
    [InlineData("switch (p) { case { IsNone: true }: return 0; default: return p.Unwrap(); }")]
    [InlineData("Debug.Assert(!p.IsNone); return p.Unwrap();")]
    [InlineData("if (p.IsSome == true) return p.Unwrap(); return 0;")]
    [InlineData("if (m.IsPresent) return m.Get().Pages; return 0;")]
    public Task OptionGuards(string body) =>
        OptionalSources.SilentAsync(Prelude + "static class C { static int F(Option<int> p, Maybe<Vmar> m) { " + body + " } }");

    [Theory]
    [InlineData("var mm = proc.Mm; if (mm.HasValue) return mm.Value; return 0;")]
    [InlineData("if (proc.AddressSpace is { } vm) return vm.Pages; return 0;")]
    [InlineData("if (proc.AddressSpace is not { } vm) return -Errno.ESRCH; return vm.Pages;")]
    [InlineData("if (proc.CurrentVmar().TryUnwrap(out var vm)) return vm.Pages; return 0;")]
    [InlineData("var vmar = proc.CurrentVmar(); if (vmar.IsNone) return -Errno.ESRCH; return vmar.Unwrap().Pages;")]
    [InlineData("var s = new Holder(); s.Mm = 3; return s.Mm.Value;")]
    [InlineData("var s = Holder.Make(); if (s.Mm.HasValue) return s.Mm.Value; return 0;")]
    [InlineData("return proc.AddressSpace?.Pages ?? 0;")]
    [InlineData("return proc.AddressSpace.GetValueOrDefault().Pages;")]
    [InlineData("if (proc.Mm is { } mm && mm > 0) return mm; return 0;")]
    public Task SharedResourceReadOnce(string body) =>
        OptionalSources.SilentAsync(Prelude + """
            public struct Holder { public int? Mm; public static Holder Make() => default; }
            static class C { static int F(Process proc) {
            """ + body + " } }");

    [Fact]
    public Task ForgivingNonSourceIsNotKrn003s() =>
        OptionalSources.SilentAsync(Prelude + """
            static class C
            {
                static string Name() => "init";
                static int F() { var s = Name(); return s!.Length; }
            }
            """);

    [Fact]
    public Task ForgivingCheckedSource() =>
        OptionalSources.SilentAsync(Prelude + """
            unsafe struct Pcb { public int State; }
            unsafe static class C
            {
                static extern Pcb* tcp_listen(int port);
                static int F()
                {
                    var pcb = tcp_listen(80);
                    if (pcb == null) return -1;
                    return pcb!->State;
                }
            }
            """);

    [Fact]
    public Task OptionTypeItselfIsNotAUse() =>
        OptionalSources.SilentAsync("""
            public readonly struct Slot<T>
            {
                private readonly T item;
                public bool HasValue { get; }
                public T Value => HasValue ? item : throw new System.InvalidOperationException();
                public T Expect(string why) => HasValue ? Value : throw new System.InvalidOperationException(why);
            }
            """);

    /// <summary>XElement has IsEmpty and a Value anyone may set: its content, not an optional's unwrap.</summary>
    [Fact]
    public Task SettableValueIsAContainersContent() =>
        OptionalSources.SilentAsync("""
            public sealed class Element
            {
                public bool IsEmpty => Value.Length == 0;
                public string Value { get; set; } = "";
            }

            static class C
            {
                static string Read(Element e) => e.Value;
                static void Write(Element e) => e.Value = "netcoreapp2.0";
            }
            """);

    [Fact]
    public Task StoringIntoAnOptionalsValueFieldIsNoUnwrap() =>
        OptionalSources.SilentAsync("""
            public struct Boxed<T>
            {
                public bool HasValue;
                public T Value;
            }

            static class C
            {
                static Boxed<int> Make() { var m = new Boxed<int>(); m.Value = 3; m.HasValue = true; return m; }
            }
            """);

    /// <summary>A corelib's own optional (zerolib's Nullable) implements its cast with an unwrap of its parameter.</summary>
    [Fact]
    public Task OptionTypesOwnOperatorsAreNotUses() =>
        OptionalSources.SilentAsync("""
            public readonly struct Slot<T>
            {
                private readonly T item;
                public Slot(T item) { this.item = item; HasValue = true; }
                public bool HasValue { get; }
                public T Value => item;
                public static explicit operator T(Slot<T> slot) => slot.Value;
                public static bool SameItem(Slot<T> a, Slot<T> b) => Equals(a.Value, b.Value);
            }
            """);
}
