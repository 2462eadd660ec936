using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace Kernel.Tests;

/// <summary>How a boot ended. Only the kernel's own debug-exit codes count as a kernel verdict.</summary>
public enum BootOutcome
{
    DemoDone,
    TestsPassed,
    TestsFailed,
    Panic,
    Listed,
    TripleFault,
    Hang,
    QemuError,
}

public sealed record BootResult(BootOutcome Outcome, int ExitCode, IReadOnlyList<string> Lines, TimeSpan Elapsed, TimeSpan? FirstLine)
{
    public string Log => string.Join("\n", Lines);
}

public static class KernelImage
{
    public static string Directory
    {
        get
        {
            string? dir = typeof(KernelImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "KernelImageDir")?.Value;
            return dir ?? throw new InvalidOperationException("KernelImageDir metadata missing");
        }
    }

    public static string Multiboot => Path.Combine(Directory, "kernel.elf");

    public static string Uefi => Path.Combine(Directory, "uefi.img");

    public const string OvmfPath = "/usr/share/ovmf/OVMF.fd";
}

/// <summary>Boots an image under QEMU (TCG; KVM is not available here) with the serial console on stdio
/// and the isa-debug-exit device, with a hard timeout.</summary>
public static class Qemu
{
    // isa-debug-exit: QEMU exits with (v << 1) | 1 for a value v the kernel writes (Core/Qemu.cs).
    public const int DemoDone = (0x10 << 1) | 1;
    public const int TestsPassed = (0x11 << 1) | 1;
    public const int TestsFailed = (0x12 << 1) | 1;
    public const int Panic = (0x13 << 1) | 1;
    public const int Listed = (0x14 << 1) | 1;

    public static BootOutcome Classify(int exitCode, bool timedOut) => timedOut ? BootOutcome.Hang : exitCode switch
    {
        DemoDone => BootOutcome.DemoDone,
        TestsPassed => BootOutcome.TestsPassed,
        TestsFailed => BootOutcome.TestsFailed,
        Panic => BootOutcome.Panic,
        Listed => BootOutcome.Listed,
        0 => BootOutcome.TripleFault, // -no-reboot turns the reset of a triple fault into an exit with 0
        _ => BootOutcome.QemuError,
    };

    public static BootResult BootMultiboot(string append, TimeSpan timeout)
    {
        if (!File.Exists(KernelImage.Multiboot))
        {
            throw new FileNotFoundException("kernel image not built (dotnet build kernel/Kernel.csproj)", KernelImage.Multiboot);
        }
        var args = new List<string> { "-kernel", KernelImage.Multiboot };
        if (append.Length > 0)
        {
            args.Add("-append");
            args.Add(append);
        }
        return Run(args, timeout);
    }

    public static BootResult BootUefi(TimeSpan timeout)
    {
        if (!File.Exists(KernelImage.Uefi))
        {
            throw new FileNotFoundException("UEFI image not built", KernelImage.Uefi);
        }
        // a private copy: QEMU may write to the FAT image
        string copy = Path.Combine(Path.GetTempPath(), "kernel-uefi-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N") + ".img");
        File.Copy(KernelImage.Uefi, copy);
        try
        {
            return Run(new List<string> { "-machine", "pc", "-bios", KernelImage.OvmfPath, "-net", "none",
                "-drive", "format=raw,file=" + copy }, timeout);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static BootResult Run(List<string> extra, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-serial", "stdio", "-display", "none", "-no-reboot", "-m", "128M",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04" })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (string a in extra)
        {
            psi.ArgumentList.Add(a);
        }
        var lines = new List<string>();
        var stderr = new StringBuilder();
        TimeSpan? first = null;
        var sw = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (lines)
            {
                first ??= sw.Elapsed;
                lines.Add(e.Data.TrimEnd('\r'));
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        bool exited = p.WaitForExit((int)timeout.TotalMilliseconds);
        if (!exited)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.WaitForExit();
        }
        else
        {
            p.WaitForExit(); // drain the output
        }
        sw.Stop();
        int code = exited ? p.ExitCode : -1;
        BootOutcome outcome = Classify(code, !exited);
        List<string> all;
        lock (lines)
        {
            all = new List<string>(lines);
        }
        if (outcome == BootOutcome.QemuError)
        {
            all.Add("[qemu stderr] " + stderr);
        }
        return new BootResult(outcome, code, all, sw.Elapsed, first);
    }
}
