using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// Every sample reproduces a seed bug: each line marked <c>// expect: KRNxxx</c> must carry exactly that diagnostic,
/// no other line may carry one, and files named <c>*Fixed*</c> must be clean.
/// </summary>
public class SampleTests
{
    private static readonly Regex Expectation = new(@"//\s*expect:\s*(?<ids>KRN\d{3}(\s*,\s*KRN\d{3})*)", RegexOptions.Compiled);

    public static IEnumerable<object[]> Folders() =>
        Directory.GetDirectories(Path.Combine(Analysis.RepositoryRoot, "samples"), "KRN*")
            .Select(path => new object[] { Path.GetFileName(path) })
            .OrderBy(row => (string)row[0]);

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task DiagnosticsAreExactlyTheMarkedOnes(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(Analysis.RepositoryRoot, "samples", folder), "*.cs")
            .OrderBy(path => path)
            .Select(path => (Path: path, Text: File.ReadAllText(path)))
            .ToList();
        Assert.Contains(files, file => Path.GetFileName(file.Path).Contains("Fixed"));
        Assert.Contains(files, file => Expectation.IsMatch(file.Text));

        var compilation = await Analysis.CompileAsync(files);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));

        var actual = (await Analysis.AnalyzeAsync(compilation))
            .Select(d => $"{Path.GetFileName(d.Location.SourceTree!.FilePath)}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}")
            .ToList();
        var expected = new List<string>();
        foreach (var file in files)
        {
            var lines = file.Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var match = Expectation.Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }

                Assert.DoesNotContain("Fixed", Path.GetFileName(file.Path));
                foreach (var id in match.Groups["ids"].Value.Split(',').Select(id => id.Trim()))
                {
                    expected.Add($"{Path.GetFileName(file.Path)}:{i + 1}: {id}");
                }
            }
        }

        Assert.Equal(expected.OrderBy(x => x), actual.OrderBy(x => x));
    }

    /// <summary>
    /// Rules share work per compilation (KRN001's summaries with KRN003, one presence analysis for KRN003 and KRN004):
    /// each rule run alone on its own compilation must report exactly what it reports within the whole suite.
    /// </summary>
    [Fact]
    public async Task EachRuleAloneReportsWhatItReportsWithinTheSuite()
    {
        var files = Directory.GetFiles(Path.Combine(Analysis.RepositoryRoot, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .OrderBy(path => path)
            .Select(path => (Path: path, Text: File.ReadAllText(path)))
            .ToList();
        var together = (await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files))).Select(d => d.ToString()).ToList();
        Assert.NotEmpty(together);

        var alone = new List<string>();
        foreach (var analyzer in Analysis.AllAnalyzers)
        {
            var diagnostics = await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files), System.Collections.Immutable.ImmutableArray.Create(analyzer));
            alone.AddRange(diagnostics.Select(d => d.ToString()));
        }

        Assert.Equal(together.OrderBy(x => x, System.StringComparer.Ordinal), alone.OrderBy(x => x, System.StringComparer.Ordinal));
    }
}
