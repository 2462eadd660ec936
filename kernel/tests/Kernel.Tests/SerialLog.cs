using System;
using System.Collections.Generic;
using System.Linq;
using Kernel.Services.Testing;

namespace Kernel.Tests;

public enum InKernelOutcome
{
    Pass,
    Fail,
    Panic,
    NotRun,
}

public sealed record InKernelResult(string Name, InKernelOutcome Outcome, string Detail, IReadOnlyList<string> Output);

/// <summary>Reads the kernel's serial log (protocol: Services/Testing/TestProtocol.cs).</summary>
public static class SerialLog
{
    public static IReadOnlyList<string> TestNames(IEnumerable<string> lines)
    {
        var names = new List<string>();
        bool inList = false;
        foreach (string line in lines)
        {
            if (line == TestProtocol.ListBegin)
            {
                inList = true;
            }
            else if (line == TestProtocol.ListEnd)
            {
                inList = false;
            }
            else if (inList && line.StartsWith(TestProtocol.NamePrefix, StringComparison.Ordinal))
            {
                names.Add(line.Substring(TestProtocol.NamePrefix.Length).Trim());
            }
        }
        return names;
    }

    /// <summary>The result of every test of a `test` boot. A test that started and never finished took the
    /// kernel down: it gets the boot's outcome (panic report, triple fault, hang); tests after it did not run.</summary>
    public static Dictionary<string, InKernelResult> Results(BootResult boot)
    {
        var results = new Dictionary<string, InKernelResult>(StringComparer.Ordinal);
        string? current = null;
        var output = new List<string>();
        for (int i = 0; i < boot.Lines.Count; i++)
        {
            string line = boot.Lines[i];
            if (line.StartsWith(TestProtocol.TestPrefix, StringComparison.Ordinal))
            {
                string rest = line.Substring(TestProtocol.TestPrefix.Length);
                int sp = rest.IndexOf(' ');
                if (sp > 0)
                {
                    string name = rest.Substring(0, sp);
                    string tail = rest.Substring(sp + 1);
                    if (tail == TestProtocol.Start)
                    {
                        current = name;
                        output = new List<string>();
                        continue;
                    }
                    if (tail == TestProtocol.Pass)
                    {
                        results[name] = new InKernelResult(name, InKernelOutcome.Pass, "", output);
                        current = null;
                        continue;
                    }
                    if (tail.StartsWith(TestProtocol.Fail, StringComparison.Ordinal))
                    {
                        string reason = tail.Length > TestProtocol.Fail.Length ? tail.Substring(TestProtocol.Fail.Length + 1) : "";
                        results[name] = new InKernelResult(name, InKernelOutcome.Fail, reason, output);
                        current = null;
                        continue;
                    }
                }
            }
            if (current != null && line.StartsWith(TestProtocol.PanicPrefix, StringComparison.Ordinal))
            {
                var report = boot.Lines.Skip(i).ToList();
                results[current] = new InKernelResult(current, InKernelOutcome.Panic, line, output.Concat(report).ToList());
                current = null;
                break;
            }
            output.Add(line);
        }
        if (current != null)
        {
            string why = boot.Outcome switch
            {
                BootOutcome.TripleFault => "triple fault (QEMU exited with 0) during the test",
                BootOutcome.Hang => "hang: no exit before the timeout during the test",
                BootOutcome.Panic => "kernel panicked during the test",
                _ => "the kernel stopped during the test (" + boot.Outcome + ", exit " + boot.ExitCode + ")",
            };
            results[current] = new InKernelResult(current, InKernelOutcome.Panic, why, output);
        }
        return results;
    }
}
