using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Kernel.Analyzers.Tests.Infrastructure;

/// <summary>
/// Packs Kernel.Analyzers once into a local folder feed, and creates consumer projects outside the repository that
/// reference it from that feed, with their own package cache so that no stale copy is ever used.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public const string SeedSource = """
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
        """;

    public string Folder { get; } = Processes.TemporaryFolder("kernel-feed");

    public string Path { get; private set; } = string.Empty;

    public string Version { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var project = System.IO.Path.Combine(Analysis.RepositoryRoot, "analyzers", "Kernel.Analyzers.Package", "Kernel.Analyzers.Package.csproj");
        var (exit, log) = await Processes.RunAsync("dotnet", $"pack \"{project}\" -c Release -o \"{Folder}\" -nologo", Analysis.RepositoryRoot, TimeSpan.FromMinutes(5));
        if (exit != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + log);
        }

        Path = Directory.GetFiles(Folder, "Kernel.Analyzers.*.nupkg").Single();
        Version = System.IO.Path.GetFileNameWithoutExtension(Path).Substring("Kernel.Analyzers.".Length);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A console project that references the package from the feed, holding the seed 000 bug at line 10.</summary>
    public string Consumer(string? preset)
    {
        var folder = Processes.TemporaryFolder("kernel-consumer");
        File.WriteAllText(System.IO.Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(System.IO.Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <Nullable>disable</Nullable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestorePackagesPath>{folder}/packages</RestorePackagesPath>
                {(preset is null ? string.Empty : $"<KernelAnalyzersPreset>{preset}</KernelAnalyzersPreset>")}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Kernel.Analyzers" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(System.IO.Path.Combine(folder, "Listen.cs"), SeedSource);
        File.WriteAllText(System.IO.Path.Combine(folder, "Program.cs"), "public static class Program { public static void Main() { } }\n");
        return folder;
    }
}
