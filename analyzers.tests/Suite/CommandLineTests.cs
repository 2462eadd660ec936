using System;
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

    public static TheoryData<string> FixableRules()
    {
        var data = new TheoryData<string>();
        foreach (var id in typeof(CodeFixes.UncheckedNullResultFixer).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t))
                     .SelectMany(t => ((Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
                     .Distinct()
                     .OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    /// <summary>
    /// <c>dotnet format analyzers</c> applies each rule's fix to its sample's bad twin: afterwards the project still
    /// builds and the rule reports nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixableRules))]
    public async Task DotnetFormatAppliesTheRulesFixToItsSample(string id)
    {
        var folder = Processes.TemporaryFolder("kernel-format-" + id);
        var analyzers = Path.GetDirectoryName(typeof(Descriptors).Assembly.Location)!;
        File.WriteAllText(Path.Combine(folder, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <Nullable>disable</Nullable>
                <NoWarn>$(NoWarn);CS0414;CS0169;CS0649</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <Analyzer Include="{analyzers}/Kernel.Analyzers.dll" />
                <Analyzer Include="{analyzers}/Kernel.Analyzers.CodeFixes.dll" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, ".editorconfig"), $"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = warning\n");
        foreach (var file in Directory.GetFiles(Path.Combine(Analysis.RepositoryRoot, "samples", id), "*.cs"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var (before, beforeLog) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(before == 0, beforeLog);
        Assert.Contains($"warning {id}", beforeLog);

        var (exit, log) = await Processes.RunAsync("dotnet", $"format analyzers Sample.csproj --diagnostics {id} --severity warn", folder, Timeout);
        Assert.True(exit == 0, log);

        var (after, afterLog) = await Processes.RunAsync("dotnet", "build -nologo --no-incremental", folder, Timeout);
        Assert.True(after == 0, afterLog);
        Assert.DoesNotContain($"warning {id}", afterLog);
    }
}
