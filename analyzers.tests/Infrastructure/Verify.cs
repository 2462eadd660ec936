using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Kernel.Analyzers.Tests.Infrastructure;

/// <summary>Runs an analyzer (and a code fix) the way the IDE and the build do, on offline reference assemblies.</summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    /// <summary>Expects exactly the diagnostics marked in <paramref name="source"/> (<c>{|KRN001:span|}</c>) and <paramref name="expected"/>.</summary>
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerAsync(source, editorConfig: null, expected);

    public static Task AnalyzerAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { TestCode = source };
        Configure(test.TestState, editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static void Configure(SolutionState state, string? editorConfig)
    {
        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }
    }

    internal static ReferenceAssemblies References { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));

    private sealed class AnalyzerTest : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest()
        {
            ReferenceAssemblies = References;
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck;
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var parse = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
                return solution.WithProjectParseOptions(projectId, parse);
            });
        }
    }
}

/// <summary>Runs an analyzer and its code fix, including Fix All in document, project and solution.</summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task CodeFixAsync(string source, string fixedSource, int? codeActionIndex = null, string? editorConfig = null)
    {
        var test = new CodeFixTest
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionIndex = codeActionIndex,
        };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }

        return test.RunAsync(CancellationToken.None);
    }

    private sealed class CodeFixTest : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public CodeFixTest()
        {
            ReferenceAssemblies = Verify<TAnalyzer>.References;
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck;
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var parse = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
                return solution.WithProjectParseOptions(projectId, parse);
            });
        }
    }
}
