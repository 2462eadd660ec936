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
public class CommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task PackageCarriesAnalyzersCodeFixesPresetsAndReadme()
    {
        var output = Processes.TemporaryFolder("kernel-pack");
        var project = Path.Combine(Analysis.RepositoryRoot, "analyzers", "Kernel.Analyzers.Package", "Kernel.Analyzers.Package.csproj");
        var (exit, log) = await Processes.RunAsync("dotnet", $"pack \"{project}\" -c Release -o \"{output}\" -nologo", Analysis.RepositoryRoot, Timeout);
        Assert.True(exit == 0, log);

        var package = Directory.GetFiles(output, "Kernel.Analyzers.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("analyzers/dotnet/cs/Kernel.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Kernel.Analyzers.CodeFixes.dll", entries);
        Assert.Contains("build/Kernel.Analyzers.props", entries);
        Assert.Contains("build/presets/kernel.globalconfig", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
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

    [Fact]
    public async Task DotnetFormatAppliesTheKrn001Fix()
    {
        var folder = Processes.TemporaryFolder("kernel-format");
        var analyzers = Path.GetDirectoryName(typeof(Descriptors).Assembly.Location)!;
        File.WriteAllText(Path.Combine(folder, "Listen.csproj"), $"""
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
        File.WriteAllText(Path.Combine(folder, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.KRN001.severity = warning\n");
        File.WriteAllText(Path.Combine(folder, "Listen.cs"), """
            public unsafe struct Pcb { public int State; }
            public static unsafe class Net
            {
                public static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);

                public static void Serve(Pcb* bound)
                {
                    var pcb = tcp_listen_with_backlog(bound, 4);
                    pcb->State = 1;
                }
            }
            """);

        var (exit, log) = await Processes.RunAsync("dotnet", "format analyzers Listen.csproj --diagnostics KRN001 --severity warn -v diag", folder, Timeout);
        Assert.True(exit == 0, log);
        var fixedText = File.ReadAllText(Path.Combine(folder, "Listen.cs"));
        Assert.Contains("if (pcb == null)", fixedText);
        Assert.Matches(new Regex(@"if \(pcb == null\)\s*\{\s*return;\s*\}\s*pcb->State = 1;"), fixedText);

        var (verifyExit, verifyLog) = await Processes.RunAsync("dotnet", "format analyzers Listen.csproj --diagnostics KRN001 --severity warn --verify-no-changes", folder, Timeout);
        Assert.True(verifyExit == 0, verifyLog);
    }
}
