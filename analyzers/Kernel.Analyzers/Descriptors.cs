using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers;

/// <summary>Every rule id of the suite, in one place.</summary>
public static class RuleIds
{
    public const string UncheckedNullResult = "KRN001";
    public const string LockUsedBeforeInit = "KRN002";
    public const string UnguardedUnwrap = "KRN003";
    public const string CheckThenUnwrapRace = "KRN004";
    public const string AnalysisBailedOut = "KRN900";
}

/// <summary>Diagnostic categories, as NetAnalyzers name them.</summary>
internal static class RuleCategories
{
    public const string Reliability = "Reliability";
}

/// <summary>
/// The descriptors of every rule, created through one helper so that titles, messages and help links stay uniform.
/// </summary>
public static class Descriptors
{
    private const string HelpRoot = "https://github.com/kernel-analyzers/kernel/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor KRN001UncheckedNullResult = Create(
        RuleIds.UncheckedNullResult,
        title: "Result that may be null is dereferenced without a check",
        messageFormat: "'{0}' may be null: {1}; check it before {2}",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A call that returns null on failure (a listen that finds its port in use, an allocator out of memory) " +
                     "is dereferenced on a path where nothing checked the result. In a kernel that is a page fault.");

    private const string KRN002Description =
        "A lock (a type with [RequiresInit], or a *Lock/*Spinlock/*Mutex/*Semaphore/*RwLock type with an Init method) must be " +
        "initialized before it is acquired, released or passed to code that uses it. Seed 004: a module initializer took a " +
        "spin lock, then allocated the table the lock guards and only then initialized the lock; one kernel tolerated it, " +
        "another rebooted.";

    public static readonly DiagnosticDescriptor KRN002LockUsedBeforeInit = Create(
        RuleIds.LockUsedBeforeInit,
        title: "Lock is used before it is initialized",
        messageFormat: "'{0}' is used ({1}) before it is initialized{2}",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        KRN002Description);

    public static readonly DiagnosticDescriptor KRN002InitTooLate = Create(
        RuleIds.LockUsedBeforeInit,
        title: "Initializer calls code that uses a lock before initializing it",
        messageFormat: "'{0}' calls '{1}', which uses '{2}' ({3}) before '{0}' initializes it{4}",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        KRN002Description);

    public static readonly DiagnosticDescriptor KRN002NeverInitialized = Create(
        RuleIds.LockUsedBeforeInit,
        title: "Lock is used but never initialized",
        messageFormat: "'{0}' is used ({1}) but nothing in this compilation initializes it; call its init method before the first use",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        KRN002Description,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor KRN002InitWhileHeld = Create(
        RuleIds.LockUsedBeforeInit,
        title: "Lock is initialized again while it may be held",
        messageFormat: "'{0}' is initialized again ({1}) while it may be held{2}; release it first or remove the second initialization",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        KRN002Description);

    public static readonly DiagnosticDescriptor KRN003UnguardedUnwrap = Create(
        RuleIds.UnguardedUnwrap,
        title: "Optional resource is unwrapped without a presence check",
        messageFormat: "'{0}' is unwrapped with '{1}' on a path where {2}; match on it (is {{ }} v, TryUnwrap) or check it first",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An optional (Nullable<T>, an Option/Maybe type, a may-return-null result forced with '!') is unwrapped on a " +
                     "path where nothing established that it holds a value. A resource another party can clear (a process's " +
                     "address space at exit) makes that unwrap a kernel panic.");

    public static readonly DiagnosticDescriptor KRN004CheckThenUnwrapRace = Create(
        RuleIds.CheckThenUnwrapRace,
        title: "Presence check and unwrap read a shared resource twice",
        messageFormat: "'{0}' is checked on one read and unwrapped with '{1}' on another{2}; another CPU can clear it in between: read it once into a local and test that",
        RuleCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "The presence of a shared resource (a property, a call, a field of an object) is tested on one read and " +
                     "unwrapped on a second read. Between the two reads another CPU can clear it, as a process exit clears its " +
                     "address space while /proc/PID/status is read.");

    /// <summary>
    /// Hidden and not configurable by the presets: a method was too large or too branchy for a rule's dataflow budget,
    /// so that rule did not check it. Raise its severity to see where.
    /// </summary>
    public static readonly DiagnosticDescriptor KRN900AnalysisBailedOut = Create(
        RuleIds.AnalysisBailedOut,
        title: "Dataflow analysis stopped at its budget",
        messageFormat: "{0} did not check '{1}': its dataflow analysis stopped after {2} block visits without reaching a fixpoint",
        RuleCategories.Reliability,
        DiagnosticSeverity.Hidden,
        description: "A documented bail-out: the method's control flow graph needed more iterations than the engine's bounded budget. " +
                     "The rule named in the message reported nothing for it.");

    /// <summary>The address of a rule's documentation page.</summary>
    public static string HelpLink(string id) => HelpRoot + id + ".md";

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);
}
