using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Kernel.Tests;

/// <summary>The analyzer gate: a copy of the kernel with seed bugs planted must fail to build with the
/// rules' ids (compile only: -p:KernelSkipNative=true). The real kernel building clean is proved by every
/// build of this project (it builds the kernel with the gate first).</summary>
public sealed class GateTests
{
    private static string KernelRoot => typeof(GateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "KernelRoot").Value!;

    private const string PlantedBugs = """
        using Kernel.Core.Sync;
        using Kernel.Services;

        namespace Kernel.Planted
        {
            internal static unsafe class PlantedBugs
            {
                // seed 000: the listen result is used unchecked (null when the port is taken)
                [MayReturnNull]
                private static byte* tcp_listen_with_backlog(int port, int backlog) => null;

                internal static int NetsockListen(int port)
                {
                    byte* pcb = tcp_listen_with_backlog(port, 4);
                    return *pcb;
                }

                // seed 004: a lock used before its Init
                internal static void LockBeforeInit()
                {
                    SpinLock l = new SpinLock();
                    l.Acquire();
                    l.Init();
                    l.Release();
                }

                // seed 003: an optional unwrapped without a presence check
                internal static int Unwrap(Option<int> pid) => pid.Unwrap();
            }
        }
        """;

    /// <summary>The ids the analyzer project defines today (rules land over time).</summary>
    private static HashSet<string> DefinedRuleIds(string repoRoot)
    {
        string descriptors = Path.Combine(repoRoot, "analyzers", "Kernel.Analyzers", "Descriptors.cs");
        return Regex.Matches(File.ReadAllText(descriptors), "\"(KRN00[1-3])\"").Select(m => m.Groups[1].Value).ToHashSet();
    }

    [Fact]
    public void PlantedSeedBugsFailTheKernelBuild()
    {
        string root = Path.GetFullPath(KernelRoot);
        string repo = Path.GetFullPath(Path.Combine(root, ".."));
        string copy = Path.Combine(Path.GetTempPath(), "kernel-gate-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(copy);
            foreach (string dir in new[] { "Runtime", "Core", "Services", "build", "boot", "scripts" })
            {
                CopyTree(Path.Combine(root, dir), Path.Combine(copy, dir));
            }
            foreach (string file in new[] { "Kernel.csproj", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
            {
                File.Copy(Path.Combine(root, file), Path.Combine(copy, file));
            }
            File.WriteAllText(Path.Combine(copy, "Core", "PlantedBugs.cs"), PlantedBugs);

            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = copy,
            };
            foreach (string a in new[] { "build", "Kernel.csproj", "-nologo", "-p:KernelSkipNative=true",
                "-p:KernelAnalyzersProject=" + Path.Combine(repo, "analyzers", "Kernel.Analyzers", "Kernel.Analyzers.csproj"),
                "-p:KernelAnalyzersPreset=" + Path.Combine(repo, "analyzers", "presets", "kernel.globalconfig") })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(300_000), "build timed out");
            Assert.NotEqual(0, p.ExitCode);

            HashSet<string> ids = DefinedRuleIds(repo);
            Assert.Contains("KRN001", ids);
            var expected = new Dictionary<string, string>
            {
                ["KRN001"] = "PlantedBugs.cs(15,",  // *pcb
                ["KRN002"] = "PlantedBugs.cs(22,",  // l.Acquire() before l.Init()
                ["KRN003"] = "PlantedBugs.cs(28,",  // pid.Unwrap()
            };
            foreach (var (id, where) in expected)
            {
                if (!ids.Contains(id))
                {
                    continue; // rule not landed yet
                }
                Assert.True(output.Contains(where, StringComparison.Ordinal) && output.Contains("error " + id, StringComparison.Ordinal),
                    id + " not reported at " + where + "\n" + output);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
        foreach (string d in Directory.GetDirectories(from))
        {
            CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
        }
    }
}
