using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Benchmarks;

/// <summary>
/// The NetAnalyzers that ship with the SDK, at AnalysisLevel 10 "recommended": the peer every project already pays
/// for. Their severities come from the SDK's own globalconfig, applied as compilation options.
/// </summary>
public static class NetAnalyzers
{
    private static readonly string Folder = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "sdk");

    public static ImmutableArray<DiagnosticAnalyzer> Load(out ImmutableDictionary<string, ReportDiagnostic> severities)
    {
        var sdk = Directory.GetDirectories(Folder).OrderBy(d => d, StringComparer.Ordinal).Last();
        var analyzers = Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers");
        var loader = new Loader();
        var loaded = new[] { "Microsoft.CodeAnalysis.NetAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll" }
            .SelectMany(name => new AnalyzerFileReference(Path.Combine(analyzers, name), loader).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        severities = ReadSeverities(Path.Combine(analyzers, "build", "config", "analysislevel_10_recommended.globalconfig"));
        return loaded;
    }

    public static CSharpCompilation WithSeverities(CSharpCompilation compilation, ImmutableDictionary<string, ReportDiagnostic> severities) =>
        compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(severities));

    private static ImmutableDictionary<string, ReportDiagnostic> ReadSeverities(string path)
    {
        var result = ImmutableDictionary.CreateBuilder<string, ReportDiagnostic>();
        foreach (var line in File.ReadLines(path))
        {
            // dotnet_diagnostic.CA1000.severity = warning
            var parts = line.Split('=', 2);
            if (parts.Length != 2 || !parts[0].Trim().StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            {
                continue;
            }

            var id = parts[0].Trim().Split('.')[1];
            result[id] = parts[1].Trim() switch
            {
                "error" => ReportDiagnostic.Error,
                "warning" => ReportDiagnostic.Warn,
                "suggestion" => ReportDiagnostic.Info,
                "silent" => ReportDiagnostic.Hidden,
                _ => ReportDiagnostic.Suppress,
            };
        }

        return result.ToImmutable();
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
