using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// The suite in an IDE: csharp-ls (a Roslyn-based language server, the one the registries here serve) reports
/// KRN001 for an open file over LSP and answers a code-action request for it. csharp-ls offers code fixes only from
/// Roslyn's own assemblies, so the suite's fixes are tested through a Workspace and dotnet format instead.
/// </summary>
public class LanguageServerTests
{
    private const string Version = "0.28.0";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task OpenFileGetsKrn001OverLsp()
    {
        var server = await InstallAsync();
        var folder = Processes.TemporaryFolder("kernel-lsp");
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
              </ItemGroup>
            </Project>
            """);
        var file = Path.Combine(folder, "Listen.cs");
        File.WriteAllText(file, PackageFeed.SeedSource);
        var (exit, log) = await Processes.RunAsync("dotnet", "build -nologo", folder, Timeout);
        Assert.True(exit == 0, log);

        using var client = new LspClient(server, folder);
        var uri = new Uri(file).AbsoluteUri;
        await client.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = new Uri(folder).AbsoluteUri,
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true },
                ["textDocument"] = new JsonObject
                {
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = true },
                    ["publishDiagnostics"] = new JsonObject(),
                    ["codeAction"] = new JsonObject(),
                },
            },
        }, Timeout);
        await client.NotifyAsync("initialized", new JsonObject());
        await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
        {
            ["settings"] = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } },
        });
        await client.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = PackageFeed.SeedSource },
        });

        JsonNode? krn001 = null;
        var deadline = DateTime.UtcNow + Timeout;
        while (krn001 is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var report = await client.RequestAsync("textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } }, Timeout);
            var pulled = report?["items"]?.AsArray() ?? new JsonArray();
            var pushed = client.Notifications
                .Where(n => (string?)n["method"] == "textDocument/publishDiagnostics" && (string?)n["params"]?["uri"] == uri)
                .SelectMany(n => n["params"]!["diagnostics"]!.AsArray());
            krn001 = pulled.Concat(pushed).FirstOrDefault(d => d?["code"]?.ToString() == "KRN001");
        }

        Assert.True(krn001 is not null, "no KRN001 over LSP. Server log:\n" + client.Log);
        Assert.Equal(9, (int)krn001!["range"]!["start"]!["line"]!);
        Assert.StartsWith("'pcb' may be null", (string)krn001["message"]!);

        var actions = await client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
            ["range"] = krn001["range"]!.DeepClone(),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(krn001.DeepClone()) },
        }, Timeout);
        Assert.True(actions is null or JsonArray, "codeAction answered with " + actions?.ToJsonString());
    }

    private static async Task<string> InstallAsync()
    {
        var tools = Path.Combine(Analysis.RepositoryRoot, "artifacts", "tools", "csharp-ls-" + Version);
        var executable = Path.Combine(tools, "csharp-ls");
        if (!File.Exists(executable))
        {
            var (exit, log) = await Processes.RunAsync("dotnet", $"tool install --tool-path \"{tools}\" csharp-ls --version {Version}", Analysis.RepositoryRoot, Timeout);
            Assert.True(exit == 0, "installing csharp-ls failed:\n" + log);
        }

        return executable;
    }
}
