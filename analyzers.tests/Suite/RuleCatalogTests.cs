using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>Every rule the suite ships has its documentation page, release entry, help link and sample.</summary>
public class RuleCatalogTests
{
    public static TheoryData<string> RuleIdsShipped()
    {
        var data = new TheoryData<string>();
        foreach (var id in Analysis.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(id => id))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void HasDocumentationPageWithEverySection(string id)
    {
        var page = Path.Combine(Analysis.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        var text = File.ReadAllText(page);
        foreach (var section in new[] { "## Cause", "## Rule description", "## How to fix violations", "## How to configure", "## How to suppress violations" })
        {
            Assert.Contains(section, text);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void HasReleaseTrackingEntry(string id)
    {
        var releases = File.ReadAllText(Path.Combine(Analysis.RepositoryRoot, "analyzers", "Kernel.Analyzers", "AnalyzerReleases.Unshipped.md")) +
                       File.ReadAllText(Path.Combine(Analysis.RepositoryRoot, "analyzers", "Kernel.Analyzers", "AnalyzerReleases.Shipped.md"));
        Assert.Matches(new Regex("^" + id + @"\s*\|", RegexOptions.Multiline), releases);
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void EveryDescriptorLinksToItsPage(string id)
    {
        var descriptors = Analysis.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => d.Id == id).ToList();
        Assert.All(descriptors, d => Assert.EndsWith("docs/rules/" + id + ".md", d.HelpLinkUri));
        Assert.All(descriptors, d => Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString())));
    }

    [Theory]
    [MemberData(nameof(RuleIdsShipped))]
    public void HasSampleWithBadAndFixedTwins(string id)
    {
        if (Analysis.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden)
        {
            return; // The bail-out diagnostic reports no bug, so it has no bad twin.
        }

        var folder = Path.Combine(Analysis.RepositoryRoot, "samples", id);
        Assert.True(Directory.Exists(folder), $"samples/{id} is missing");
        var files = Directory.GetFiles(folder, "*.cs");
        Assert.Contains(files, f => Path.GetFileName(f).Contains("Fixed"));
        Assert.Contains(files, f => Regex.IsMatch(File.ReadAllText(f), @"//\s*expect:[^\n]*\b" + id + @"\b"));
    }

    [Fact]
    public void ReadmeListsEveryRule()
    {
        var readme = File.ReadAllText(Path.Combine(Analysis.RepositoryRoot, "README.md"));
        foreach (var id in Analysis.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct())
        {
            Assert.Contains($"[{id}](docs/rules/{id}.md)", readme);
        }
    }
}
