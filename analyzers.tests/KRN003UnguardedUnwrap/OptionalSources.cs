using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Verify003 = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UnguardedUnwrapAnalyzer>;
using Verify004 = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.CheckThenUnwrapRaceAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;

/// <summary>Optional types the KRN003/KRN004 tests share: a Rust-style Option, a Maybe with Get(), a kernel process.</summary>
internal static class OptionalSources
{
    public const string Types = """

        public readonly struct Option<T>
        {
            private readonly T value;
            private Option(T value) { this.value = value; IsSome = true; }
            public bool IsSome { get; }
            public bool IsNone => !IsSome;
            public T Unwrap() => IsSome ? value : throw new System.InvalidOperationException("unwrap on None");
            public T Expect(string message) => IsSome ? value : throw new System.InvalidOperationException(message);
            public T UnwrapOr(T fallback) => IsSome ? value : fallback;
            public bool TryUnwrap(out T result) { result = value; return IsSome; }
            public static Option<T> None => default;
            public static Option<T> Some(T value) => new Option<T>(value);
        }

        public static class Option
        {
            public static Option<T> Some<T>(T value) => Option<T>.Some(value);
        }

        public sealed class Maybe<T>
        {
            private readonly T item;
            public Maybe(T item) { this.item = item; IsPresent = true; }
            public Maybe() { }
            public bool IsPresent { get; }
            public T Get() => IsPresent ? item : throw new System.InvalidOperationException();
        }

        public struct Vmar { public long Size; public int Pages; }

        public class Process
        {
            public int Pid;
            public Vmar? AddressSpace;
            public int? Mm { get; set; }
            public Option<Vmar> CurrentVmar() => default;
            public Maybe<Vmar> Guard;
            public void Exit() { AddressSpace = null; }
        }

        public static class Errno
        {
            public const int ESRCH = 3;
        }

        public class SpinLock
        {
            public void Lock() { }
            public void Unlock() { }
        }
        """;

    /// <summary>Neither rule reports on <paramref name="source"/> (with <see cref="Types"/> appended).</summary>
    public static async Task SilentAsync(string source)
    {
        await Verify003.AnalyzerAsync(source + Types);
        await Verify004.AnalyzerAsync(source + Types);
    }
}
