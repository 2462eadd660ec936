using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>The suite as command-line users and CI consume it: the NuGet package, presets and dotnet format.</summary>
public class CommandLineTests : IClassFixture<PackageFeed>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly PackageFeed package;

    public CommandLineTests(PackageFeed package) => this.package = package;

    [Fact]
    public void PackageCarriesAnalyzersCodeFixesPresetsAndReadme()
    {
        using var zip = ZipFile.OpenRead(package.Path);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("analyzers/dotnet/cs/Kernel.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Kernel.Analyzers.CodeFixes.dll", entries);
        Assert.Contains("build/Kernel.Analyzers.props", entries);
        Assert.Contains("build/presets/kernel.globalconfig", entries);
        Assert.Contains("build/presets/library.globalconfig", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FreshProjectFromTheFeedGetsDiagnosticsWithHelpLinks()
    {
        var folder = package.Consumer(preset: null);
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(exit == 0, log);
        Assert.Matches(new Regex(@"Listen\.cs\(10,\d+\): warning KRN001: 'pcb' may be null: .* \(https?://[^)]*docs/rules/KRN001\.md\)"), log);
    }

    [Fact]
    public async Task KernelPresetFailsTheBuild()
    {
        var folder = package.Consumer(preset: "kernel");
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.NotEqual(0, exit);
        Assert.Contains("error KRN001", log);
    }

    [Fact]
    public async Task EditorConfigSeverityErrorFailsTheBuild()
    {
        var folder = package.Consumer(preset: null);
        File.WriteAllText(Path.Combine(folder, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.KRN001.severity = error\n");
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.NotEqual(0, exit);
        Assert.Contains("error KRN001", log);
    }

    [Fact]
    public async Task GlobalConfigOptionsApply()
    {
        var folder = package.Consumer(preset: null);
        File.WriteAllText(Path.Combine(folder, "rules.globalconfig"), "is_global = true\ndotnet_code_quality.KRN001.listen_family = false\n");
        var project = Path.Combine(folder, "Consumer.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", "  <ItemGroup><GlobalAnalyzerConfigFiles Include=\"rules.globalconfig\" /></ItemGroup>\n</Project>"));
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(exit == 0, log);
        Assert.DoesNotContain("KRN001", log);
    }

    [Fact]
    public async Task BuildWritesSarif21ForCi()
    {
        var folder = package.Consumer(preset: null);
        var project = Path.Combine(folder, "Consumer.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", "  <PropertyGroup><ErrorLog>out.sarif,version=2.1</ErrorLog></PropertyGroup>\n</Project>"));
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(exit == 0, log);
        using var sarif = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out.sarif")));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("ruleId").GetString() == "KRN001").ToList();
        Assert.Single(results);
        Assert.Equal(10, results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "KRN001");
        Assert.EndsWith("docs/rules/KRN001.md", rule.GetProperty("helpUri").GetString());
    }

    [Fact]
    public void KernelPresetSetsEveryRuleToErrorById()
    {
        var preset = File.ReadAllText(Path.Combine(Analysis.RepositoryRoot, "analyzers", "presets", "kernel.globalconfig"));
        Assert.Contains("is_global = true", preset);
        foreach (var id in Analysis.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => d.DefaultSeverity != Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden).Select(d => d.Id).Distinct())
        {
            Assert.Matches(new Regex($@"^dotnet_diagnostic\.{id}\.severity = error$", RegexOptions.Multiline), preset);
        }
    }

    private static List<string> FixableRuleIds() =>
        typeof(CodeFixes.UncheckedNullResultFixer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t))
            .SelectMany(t => ((Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .Distinct()
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// <c>dotnet format analyzers</c> applies every rule's fix across a project holding all the samples (one run, as
    /// a user would run it over a solution): afterwards it still builds, and every fixable rule reports fewer
    /// diagnostics than before (a rule may have diagnostic kinds its fix does not cover; those are listed).
    /// </summary>
    [Fact]
    public async Task DotnetFormatAppliesEveryRulesFixToTheSamples()
    {
        var ids = FixableRuleIds();
        Assert.NotEmpty(ids);
        var folder = Processes.TemporaryFolder("kernel-format");
        var analyzers = Path.GetDirectoryName(typeof(Descriptors).Assembly.Location)!;
        File.WriteAllText(Path.Combine(folder, "Samples.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <Nullable>disable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <Analyzer Include="{analyzers}/Kernel.Analyzers.dll" />
                <Analyzer Include="{analyzers}/Kernel.Analyzers.CodeFixes.dll" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, ".editorconfig"), "root = true\n\n[*.cs]\n" + string.Concat(ids.Select(id => $"dotnet_diagnostic.{id}.severity = warning\n")));
        foreach (var id in ids)
        {
            var target = Directory.CreateDirectory(Path.Combine(folder, id)).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(Analysis.RepositoryRoot, "samples", id), "*.cs"))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        var (before, beforeLog) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(before == 0, beforeLog);
        Assert.All(ids, id => Assert.Contains($"warning {id}", beforeLog));

        var (exit, log) = await Processes.RunAsync("dotnet", $"format analyzers Samples.csproj --diagnostics {string.Join(" ", ids)} --severity warn", folder, Timeout);
        Assert.True(exit == 0, log);

        var (after, afterLog) = await Processes.RunAsync("dotnet", "build -nologo --no-incremental", folder, Timeout);
        Assert.True(after == 0, afterLog);
        int Count(string buildLog, string id) => buildLog.Split('\n').Where(line => line.Contains($"warning {id}:")).Distinct().Count();
        foreach (var id in ids)
        {
            Assert.True(
                Count(afterLog, id) < Count(beforeLog, id),
                $"dotnet format fixed no {id}: {Count(beforeLog, id)} before, {Count(afterLog, id)} after\n{afterLog}");
        }
    }
}
