using System.Threading;
using Kernel.Core.Mm;
using Kernel.Core.Modules;
using Kernel.Core.Sync;
using Kernel.Core.Threading;
using Kernel.Services;
using Kernel.Services.Memory;
using Kernel.Services.Process;
using Kernel.Services.Testing;
using Kernel.Services.Toa;
using Kernel.Services.Vfs;

namespace Kernel.Core.Testing
{
    /// <summary>In-kernel tests of the VFS (seed 002), processes and procfs (seed 003) and the TOA module
    /// (seed 004), on the kernel's own heap and scheduler. Each checks the kernel heap's live-block count
    /// before and after: the services allocate only at setup and give everything back at teardown.</summary>
    internal static unsafe class ServiceTests
    {
        internal static void RegisterAll()
        {
            TestRunner.Add("vfs.seed_create_unlink_close", &VfsSeed);
            TestRunner.Add("vfs.posix_variants", &VfsVariants);
            TestRunner.Add("vfs.long_run_bounded", &VfsLongRun);
            TestRunner.Add("proc.status_and_maps", &ProcStatusAndMaps);
            TestRunner.Add("proc.exit_vs_status_race", &ProcExitRace);
            TestRunner.Add("toa.load_use_unload", &ToaLoadUseUnload);
            TestRunner.Add("toa.init_failure_injection", &ToaFailureInjection);
            // run the static initializers now, so that the tests' heap baselines do not count them
            s_warm = s_hello.Length + s_paths.Length;
            KernelArrays.Prepare();
            s_warm += ToaModule.IsLoaded ? 1 : 0;
        }

        private static int s_warm;

        private static readonly byte[] s_hello = new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' };

        private static bool Unmount(TestContext t, RamFs fs)
        {
            HeapStorageSink sink = new HeapStorageSink();
            int r = fs.Unmount(sink);
            KernelHeap.FreeObject(sink);
            KernelHeap.FreeObject(fs);
            return t.Equal(0, r, "unmount");
        }

        // ---- VFS -----------------------------------------------------------------------------------
        private static void VfsSeed(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            RamFs fs = new RamFs(VfsLimits.Default);
            t.Equal(0, fs.Mkdir("/tmp"), "mkdir /tmp");
            // the seed's program: open(O_WRONLY|O_CREAT), unlink, close
            int fd = fs.Open("/tmp/.tmp123456", OpenFlags.WriteOnly | OpenFlags.Create);
            t.Check(fd >= 0, "open creates the file");
            t.Equal(0, fs.Unlink("/tmp/.tmp123456"), "unlink of the open file");
            t.Equal(2, fs.Counters.LiveInodes - 1, "the unlinked file's inode lives while open");
            t.Equal(0, fs.Close(fd), "close of the unlinked file");
            t.Equal(2, fs.Counters.LiveInodes, "inode freed at the last close (root and /tmp remain)");
            t.Equal(-Errno.EBADF, fs.Close(fd), "double close");
            t.Equal(-Errno.EBADF, fs.Close(12345), "close of a bad descriptor");
            t.Equal(-Errno.ENOENT, fs.Unlink("/tmp/.tmp123456"), "unlink of a missing name");
            t.Equal(0, fs.Counters.LiveBlocks, "no blocks left");
            t.Equal(0, fs.Rmdir("/tmp"), "rmdir");
            VfsCounters c = fs.Counters;
            t.Equal(1, c.LiveInodes, "only the root is live");
            t.Equal(c.InodesAllocated - 1, c.InodesFreed, "inodes allocated = freed + root");
            Unmount(t, fs);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "kernel heap blocks after unmount");
        }

        private static void VfsVariants(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            RamFs fs = new RamFs(VfsLimits.Default);
            byte[] buf = new byte[600];

            // two opens, unlink, write after unlink through one, read through the other
            int a = fs.Open("/f", OpenFlags.ReadWrite | OpenFlags.Create);
            int b = fs.Open("/f", OpenFlags.ReadOnly);
            t.Equal(0, fs.Unlink("/f"), "unlink with two opens");
            t.Equal(5, fs.Write(a, s_hello, 0, 5), "write after unlink");
            t.Equal(5, fs.Read(b, buf, 0, 100), "read after unlink through the other descriptor");
            t.Check(buf[0] == (byte)'h' && buf[4] == (byte)'o', "data read back");
            t.Equal(0, fs.Close(a), "first close");
            t.Equal(1, fs.Counters.LiveBlocks, "blocks kept while one descriptor is open");
            t.Equal(0, fs.Close(b), "last close");
            t.Equal(0, fs.Counters.LiveBlocks, "blocks freed at the last close");

            // rename over an open file: the replaced file lives on through its descriptor
            int old = fs.Create("/target");
            t.Equal(5, fs.Write(old, s_hello, 0, 5), "write target");
            int src = fs.Create("/source");
            t.Equal(3, fs.Write(src, s_hello, 1, 3), "write source");
            t.Equal(0, fs.Close(src), "close source");
            t.Equal(0, fs.Rename("/source", "/target"), "rename over the open file");
            t.Equal(-Errno.ENOENT, fs.Stat("/source", out FileStat _), "source name gone");
            t.Equal(0, fs.Stat("/target", out FileStat st), "target stat");
            t.Equal(3, st.Size, "target is the source now");
            t.Equal(0, fs.Fstat(old, out FileStat replaced), "fstat of the replaced file");
            t.Equal(0, replaced.Links, "the replaced file has no name");
            t.Equal(5, replaced.Size, "and keeps its data");
            t.Equal(0, fs.Close(old), "close the replaced file");
            t.Equal(0, fs.Unlink("/target"), "unlink target");

            // errors are values
            t.Equal(-Errno.ENOENT, fs.Open("/missing", OpenFlags.ReadOnly), "open missing");
            t.Equal(-Errno.ENOENT, fs.Open("/x/y", OpenFlags.ReadOnly), "open below a missing directory");
            int plain = fs.Create("/plain");
            t.Equal(-Errno.ENOTDIR, fs.Open("/plain/y", OpenFlags.ReadOnly), "open below a file");
            t.Equal(0, fs.Close(plain), "close plain");
            t.Equal(0, fs.Unlink("/plain"), "unlink plain");
            t.Equal(-Errno.EISDIR, fs.Open("/", OpenFlags.WriteOnly), "write-open a directory");
            t.Equal(-Errno.EBUSY, fs.Rmdir("/"), "rmdir the root");
            t.Equal(-Errno.EBADF, fs.Read(-1, buf, 0, 1), "read a bad descriptor");
            t.Equal(0, fs.Mkdir("/d"), "mkdir");
            int keep = fs.Create("/d/k");
            t.Equal(-Errno.ENOTEMPTY, fs.Rmdir("/d"), "rmdir of a non-empty dir");
            t.Equal(-Errno.EINVAL, fs.Rename("/d", "/d/sub"), "rename into itself");
            t.Equal(0, fs.Close(keep), "close");
            t.Equal(0, fs.Unlink("/d/k"), "unlink");
            t.Equal(0, fs.Rmdir("/d"), "rmdir");
            t.Equal(1, fs.Counters.LiveInodes, "root only");
            t.Equal(0, fs.Counters.LiveEntries, "no entries");
            Unmount(t, fs);
            KernelHeap.FreeObject(buf);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "kernel heap blocks after unmount");
        }

        private static readonly string[] s_paths = new string[] { "/a", "/b", "/d", "/d/a", "/d/b", "/d/e", "/d/e/a", "/c" };

        private static bool Expected(int r)
        {
            return r >= 0 || r == -Errno.ENOENT || r == -Errno.EBADF || r == -Errno.EEXIST || r == -Errno.EISDIR
                || r == -Errno.ENOTDIR || r == -Errno.ENOTEMPTY || r == -Errno.ENOSPC || r == -Errno.EMFILE
                || r == -Errno.EINVAL || r == -Errno.EFBIG;
        }

        /// <summary>20,000 random operations: every result is a count or an expected errno, nothing is
        /// allocated on the kernel heap during the run, and everything is freed at the end.</summary>
        private static void VfsLongRun(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            RamFs fs = new RamFs(VfsLimits.Default);
            byte[] buf = new byte[700];
            char[] name = new char[RamFs.NameMax];
            int[] fds = new int[8];
            for (int i = 0; i < fds.Length; i++)
            {
                fds[i] = -1;
            }
            ulong steady = KernelHeap.Stats.LiveBlocks;
            uint seed = 2024;
            int unexpected = 0;
            for (int step = 0; step < 20000; step++)
            {
                seed = seed * 1103515245 + 12345;
                uint x = seed >> 8;
                string p = s_paths[x % (uint)s_paths.Length];
                string q = s_paths[(x >> 4) % (uint)s_paths.Length];
                int slot = (int)((x >> 8) % (uint)fds.Length);
                int fd = fds[slot];
                int r;
                switch ((x >> 12) % 11)
                {
                    case 0:
                        r = fs.Open(p, OpenFlags.ReadWrite | OpenFlags.Create | (int)((x >> 16) & 1) * OpenFlags.Append);
                        if (r >= 0)
                        {
                            if (fd >= 0)
                            {
                                fs.Close(fd);
                            }
                            fds[slot] = r;
                        }
                        break;
                    case 1:
                        r = fs.Write(fd, buf, 0, (int)((x >> 16) % 600));
                        break;
                    case 2:
                        r = fs.Read(fd, buf, 0, (int)((x >> 16) % 700));
                        break;
                    case 3:
                        r = (int)fs.Seek(fd, (x >> 16) % 3000, Whence.Set);
                        break;
                    case 4:
                        r = fs.Ftruncate(fd, (x >> 16) % 5000);
                        break;
                    case 5:
                        r = fs.Unlink(p);
                        break;
                    case 6:
                        r = fs.Rename(p, q);
                        break;
                    case 7:
                        r = fs.Mkdir(p);
                        break;
                    case 8:
                        r = fs.Rmdir(p);
                        break;
                    case 9:
                        r = fs.Close(fd);
                        fds[slot] = -1;
                        break;
                    default:
                        r = fs.ReadDir(fd, name, out int _);
                        break;
                }
                if (!Expected(r))
                {
                    unexpected++;
                }
            }
            t.Equal(0, unexpected, "unexpected results");
            t.Equal(steady, KernelHeap.Stats.LiveBlocks, "no kernel heap allocation during the run");
            for (int i = 0; i < fds.Length; i++)
            {
                if (fds[i] >= 0)
                {
                    fs.Close(fds[i]);
                }
            }
            t.Equal(0, fs.Counters.OpenFiles, "all descriptors closed");
            for (int i = s_paths.Length - 1; i >= 0; i--)
            {
                if (fs.Unlink(s_paths[i]) != 0)
                {
                    fs.Rmdir(s_paths[i]);
                }
            }
            for (int i = s_paths.Length - 1; i >= 0; i--)
            {
                fs.Rmdir(s_paths[i]);
            }
            // renames nest directories where the path list no longer reaches: unmount removes the rest
            VfsCounters before = fs.Counters;
            t.Check(before.InodesAllocated > 100, "the run created files");
            HeapStorageSink sink = new HeapStorageSink();
            t.Equal(0, fs.Unmount(sink), "unmount");
            VfsCounters c = fs.Counters;
            t.Equal(0, c.LiveInodes, "no inode live after unmount");
            t.Equal(0, c.LiveBlocks, "no block live after unmount");
            t.Equal(0, c.LiveEntries, "no entry live after unmount");
            t.Equal(c.InodesAllocated, c.InodesFreed, "inodes allocated = freed");
            t.Equal(c.BlocksAllocated, c.BlocksFreed, "blocks allocated = freed");
            KernelHeap.FreeObject(sink);
            KernelHeap.FreeObject(fs);
            KernelHeap.FreeObject(buf);
            KernelHeap.FreeObject(name);
            KernelHeap.FreeObject(fds);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "kernel heap blocks after unmount");
        }

        // ---- processes and procfs ------------------------------------------------------------------
        private static bool Contains(byte[] buffer, int length, string text)
        {
            for (int i = 0; i + text.Length <= length; i++)
            {
                int k = 0;
                while (k < text.Length && buffer[i + k] == (byte)text[k])
                {
                    k++;
                }
                if (k == text.Length)
                {
                    return true;
                }
            }
            return false;
        }

        private sealed class NoPoints : IPreemptionPoints
        {
            public void Point(int site)
            {
            }
        }

        private static void ProcStatusAndMaps(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            SpinLockSection section = new SpinLockSection();
            NoPoints points = new NoPoints();
            ProcessTable table = new ProcessTable(4, section, points);
            ProcFs proc = new ProcFs(table);
            byte[] buf = new byte[512];

            int init = table.Spawn(0, "init");
            int child = table.Spawn(init, "worker");
            t.Equal(0, table.Map(child, 0x400000, 4, RegionPerms.Read | RegionPerms.Execute, "/bin/worker", 4), "map text");
            t.Equal(0, table.Map(child, 0x600000, 8, RegionPerms.Read | RegionPerms.Write, "[heap]", 2), "map heap");
            int n = proc.Read("/proc/2/status", 0, buf, 0, buf.Length);
            t.Check(n > 0, "status read");
            t.Check(Contains(buf, n, "Name:\tworker\n"), "name line");
            t.Check(Contains(buf, n, "State:\tR (running)\n"), "state line");
            t.Check(Contains(buf, n, "PPid:\t1\n"), "ppid line");
            t.Check(Contains(buf, n, "VmSize:\t48 kB\n"), "VmSize");
            t.Check(Contains(buf, n, "VmRSS:\t24 kB\n"), "VmRSS");
            n = proc.Read("/proc/2/maps", 0, buf, 0, buf.Length);
            t.Check(Contains(buf, n, "00400000-00404000 r-xp 00000000 00:00 0 /bin/worker\n"), "maps text line");
            t.Check(Contains(buf, n, "00600000-00608000 rw-p 00000000 00:00 0 [heap]\n"), "maps heap line");
            int tail = proc.Read("/proc/2/maps", 9, buf, 0, 4);
            t.Equal(4, tail, "read at an offset");
            t.Check(buf[0] == (byte)'0' && buf[1] == (byte)'0' && buf[2] == (byte)'4', "bytes at the offset");

            t.Equal(0, table.Exit(child, 7), "exit");
            n = proc.Read("/proc/2/status", 0, buf, 0, buf.Length);
            t.Check(Contains(buf, n, "State:\tZ (zombie)\n"), "zombie state");
            t.Check(!Contains(buf, n, "VmSize"), "short result: no Vm lines");
            t.Equal(0, proc.Read("/proc/2/maps", 0, buf, 0, buf.Length), "zombie maps are empty");
            t.Equal(child, table.Wait(init, -1, out int code), "wait reaps");
            t.Equal(7, code, "exit code");
            t.Equal(-Errno.ESRCH, proc.Read("/proc/2/status", 0, buf, 0, buf.Length), "reaped: ESRCH");
            t.Equal(-Errno.ENOENT, proc.Read("/proc/2/cmdline", 0, buf, 0, buf.Length), "unknown file");
            t.Equal(-Errno.ECHILD, table.Wait(init, -1, out int _), "no more children");
            t.Equal(0, table.Exit(init, 0), "init exits");
            t.Equal(0, table.LiveTasks, "no tasks");
            t.Equal(0, table.LiveSpaces, "no spaces");

            HeapStorageSink sink = new HeapStorageSink();
            t.Equal(0, table.ReturnStorage(sink), "release");
            proc.ReturnStorage(sink);
            section.ReturnStorage(sink);
            KernelHeap.FreeObject(sink);
            KernelHeap.FreeObject(proc);
            KernelHeap.FreeObject(table);
            KernelHeap.FreeObject(points);
            KernelHeap.FreeObject(section);
            KernelHeap.FreeObject(buf);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "kernel heap blocks after release");
        }

        /// <summary>Yields at the sites selected for the current round (forced interleavings); the timer
        /// preempts besides.</summary>
        private sealed class RacePoints : IPreemptionPoints
        {
            internal uint Mask;
            internal ulong Yields;

            public void Point(int site)
            {
                if (((Mask >> site) & 1) != 0)
                {
                    Yields++;
                    Scheduler.Yield();
                }
            }
        }

        private const int RaceRounds = 10000;
        private static ProcessTable? s_raceTable;
        private static ProcFs? s_raceProc;
        private static byte[]? s_raceBuffer;
        private static int s_raceParent;
        private static int s_raceRound;
        private static int s_racePid;
        private static int s_exiterDone;
        private static int s_readerDone;
        private static int s_raceFull;
        private static int s_raceShort;
        private static int s_raceGone;
        private static int s_raceBad;
        private static int s_raceExitErrors;

        private static uint Mix(uint r)
        {
            uint h = r * 2654435761u;
            return h ^ (h >> 15);
        }

        private static void YieldTimes(uint n)
        {
            for (uint i = 0; i < n; i++)
            {
                Scheduler.Yield();
            }
        }

        private static void RaceExiter(ulong arg)
        {
            ProcessTable? table = s_raceTable;
            if (table == null)
            {
                return;
            }
            for (int r = 1; r <= RaceRounds; r++)
            {
                while (Volatile.Read(ref s_raceRound) < r)
                {
                    Scheduler.Yield();
                }
                int pid = s_racePid;
                YieldTimes((Mix((uint)r) >> 20) % 4);
                if (table.Exit(pid, r) != 0)
                {
                    s_raceExitErrors++;
                }
                YieldTimes((Mix((uint)r) >> 24) % 3);
                if (table.Wait(s_raceParent, pid, out int code) != pid || code != r)
                {
                    s_raceExitErrors++;
                }
                Volatile.Write(ref s_exiterDone, r);
            }
        }

        private static void RaceReader(ulong arg)
        {
            ProcFs? proc = s_raceProc;
            byte[]? buf = s_raceBuffer;
            if (proc == null || buf == null)
            {
                return;
            }
            for (int r = 1; r <= RaceRounds; r++)
            {
                while (Volatile.Read(ref s_raceRound) < r)
                {
                    Scheduler.Yield();
                }
                int pid = s_racePid;
                YieldTimes((Mix((uint)r) >> 26) % 4);
                int n = proc.ReadStatus(pid, 0, buf, 0, buf.Length);
                if (n == -Errno.ESRCH)
                {
                    s_raceGone++;
                }
                else if (n > 0 && Contains(buf, n, "State:\tR (running)\n") && Contains(buf, n, "VmSize:\t32 kB\n") && Contains(buf, n, "VmRSS:\t8 kB\n"))
                {
                    s_raceFull++;
                }
                else if (n > 0 && Contains(buf, n, "State:\tZ (zombie)\n") && !Contains(buf, n, "Vm") && Contains(buf, n, "Name:\tracer\n"))
                {
                    s_raceShort++;
                }
                else
                {
                    s_raceBad++;
                }
                if ((r & 1) == 0)
                {
                    int m = proc.ReadMaps(pid, 0, buf, 0, buf.Length);
                    if (m != -Errno.ESRCH && m != 0 && !(m > 0 && Contains(buf, m, "/bin/racer\n")))
                    {
                        s_raceBad++;
                    }
                }
                Volatile.Write(ref s_readerDone, r);
            }
        }

        /// <summary>Seed 003: 10,000 rounds of a process exiting (and being reaped) on one kernel thread while
        /// another reads its /proc status, with yields forced at chosen points of both (a different set every
        /// round) on top of timer preemption. Zero panics, every read is a full, short or ESRCH result, all
        /// three happen, and nothing leaks.</summary>
        private static void ProcExitRace(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            SpinLockSection section = new SpinLockSection();
            RacePoints points = new RacePoints();
            ProcessTable table = new ProcessTable(8, section, points);
            ProcFs proc = new ProcFs(table);
            byte[] buf = new byte[256];
            s_raceTable = table;
            s_raceProc = proc;
            s_raceBuffer = buf;
            s_raceRound = 0;
            s_exiterDone = 0;
            s_readerDone = 0;
            s_raceFull = s_raceShort = s_raceGone = s_raceBad = s_raceExitErrors = 0;
            s_raceParent = table.Spawn(0, "race-parent");
            ulong switches = Scheduler.Switches;
            ulong steady = KernelHeap.Stats.LiveBlocks;

            int exiter = Scheduler.Spawn(&RaceExiter, 0);
            int reader = Scheduler.Spawn(&RaceReader, 0);
            if (!t.Check(exiter > 0 && reader > 0, "spawn the racing threads"))
            {
                return;
            }
            int spawnErrors = 0;
            for (int r = 1; r <= RaceRounds; r++)
            {
                int pid = table.Spawn(s_raceParent, "racer");
                if (pid < 0 || table.Map(pid, 0x400000, 4, RegionPerms.Read | RegionPerms.Execute, "/bin/racer", 2) != 0
                    || table.Map(pid, 0x800000, 4, RegionPerms.Read | RegionPerms.Write, "[heap]", 0) != 0)
                {
                    spawnErrors++;
                }
                points.Mask = Mix((uint)r) & 0xFE;
                s_racePid = pid;
                Volatile.Write(ref s_raceRound, r);
                while (Volatile.Read(ref s_exiterDone) < r || Volatile.Read(ref s_readerDone) < r)
                {
                    Scheduler.Yield();
                }
            }
            Scheduler.Join(exiter);
            Scheduler.Join(reader);
            t.Equal(0, spawnErrors, "spawn errors");
            t.Equal(0, s_raceExitErrors, "exit/wait errors");
            t.Equal(0, s_raceBad, "reads that were neither full, short nor ESRCH");
            t.Equal(RaceRounds, s_raceFull + s_raceShort + s_raceGone, "one status read per round");
            t.Check(s_raceFull > 0, "some reads saw the running process");
            t.Check(s_raceShort > 0, "some reads saw the exiting process (short result)");
            t.Check(s_raceGone > 0, "some reads came after the reap (ESRCH)");
            t.Check(points.Yields > RaceRounds, "forced yields happened");
            t.Check(Scheduler.Switches > switches + 3 * RaceRounds, "the threads interleaved");
            t.Equal(steady, KernelHeap.Stats.LiveBlocks, "no kernel heap allocation during the race");
            t.Equal(1, table.LiveTasks, "only the parent is left");
            t.Equal(1, table.LiveSpaces, "only the parent's space is out of the pool");
            t.Equal(0, table.Exit(s_raceParent, 0), "parent exits");
            t.Equal(0, table.LiveSpaces, "every space back in the pool");

            ulong yields = points.Yields;
            ulong raceSwitches = Scheduler.Switches - switches;
            s_raceTable = null;
            s_raceProc = null;
            s_raceBuffer = null;
            HeapStorageSink sink = new HeapStorageSink();
            t.Equal(0, table.ReturnStorage(sink), "release");
            proc.ReturnStorage(sink);
            section.ReturnStorage(sink);
            KernelHeap.FreeObject(sink);
            KernelHeap.FreeObject(proc);
            KernelHeap.FreeObject(table);
            KernelHeap.FreeObject(points);
            KernelHeap.FreeObject(section);
            KernelHeap.FreeObject(buf);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "kernel heap blocks after release");
            // after the heap check: these strings are never freed
            Console.WriteLine("race: rounds=" + RaceRounds.ToString() + " full=" + s_raceFull.ToString() + " short=" + s_raceShort.ToString()
                + " esrch=" + s_raceGone.ToString() + " forced-yields=" + yields.ToString() + " switches=" + raceSwitches.ToString());
        }

        // ---- TOA module ----------------------------------------------------------------------------
        private static void ToaLoadUseUnload(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            byte[] options = new byte[40];
            t.Equal(0, ToaModule.Load(), "load");
            t.Equal(-Errno.EBUSY, ToaModule.Load(), "second load");
            options[0] = 1; // NOP
            options[1] = 1;
            Ipv6Endpoint client = new Ipv6Endpoint(0x20010db800000000UL, 0x42UL, 40000);
            int length = 2 + ToaOption.WriteV6(options, 2, client);
            t.Equal(1, ToaModule.OnSegment(77, options, 0, length), "record the client of socket 77");
            t.Equal(0, ToaModule.PeerOf(77, out Ipv6Endpoint seen), "peer of socket 77");
            t.Check(seen.SameAs(client), "the original client");
            t.Equal(-Errno.ENOENT, ToaModule.PeerOf(78, out Ipv6Endpoint _), "no TOA for socket 78");
            options[2] = 8; // a timestamp-like option of another kind
            t.Equal(0, ToaModule.OnSegment(79, options, 2, 2), "no TOA option in the segment");
            ToaOption.WriteV6(options, 2, client);
            for (ulong s = 100; s < 100 + ToaModule.Capacity - 1; s++)
            {
                ToaModule.OnSegment(s, options, 0, length);
            }
            t.Equal(ToaModule.Capacity, ToaModule.Count, "table full");
            t.Equal(-Errno.ENOSPC, ToaModule.OnSegment(5000, options, 0, length), "full table refuses");
            t.Equal(1, ToaModule.OnClose(77), "close forgets the socket");
            t.Equal(0, ToaModule.OnClose(77), "second close finds nothing");
            t.Equal(0, ToaModule.Unload(), "unload");
            t.Check(!ToaModule.IsLoaded, "not loaded");
            t.Equal(-Errno.ENODEV, ToaModule.Unload(), "unload of a module that is not loaded");
            t.Equal(-Errno.ENODEV, ToaModule.PeerOf(100, out Ipv6Endpoint _), "hooks after unload");
            t.Equal(0, ToaModule.Load(), "load again");
            t.Equal(0, ToaModule.Count, "a fresh table");
            t.Equal(0, ToaModule.Unload(), "unload again");
            KernelHeap.FreeObject(options);
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "everything freed");
        }

        private static void ToaFailureInjection(TestContext t)
        {
            ulong live = KernelHeap.Stats.LiveBlocks;
            ulong failed = KernelHeap.Stats.FailedAllocations;
            // the initializer allocates six arrays: fail each one in turn
            for (ulong nth = 1; nth <= 6; nth++)
            {
                KernelHeap.InjectFailure(nth);
                int r = ToaModule.Load();
                KernelHeap.InjectFailure(0);
                t.Equal(-Errno.ENOMEM, r, "load fails cleanly");
                t.Check(!ToaModule.IsLoaded, "not loaded after a failed init");
                t.Equal(live, KernelHeap.Stats.LiveBlocks, "the failed init unwound every allocation");
                t.Equal(-Errno.ENODEV, ToaModule.OnClose(1), "hooks refuse while not loaded");
            }
            t.Equal(failed + 6, KernelHeap.Stats.FailedAllocations, "six injected failures");
            KernelHeap.InjectFailure(7);
            int ok = ToaModule.Load();
            KernelHeap.InjectFailure(0);
            t.Equal(0, ok, "load succeeds when the seventh allocation would fail (there is none)");
            t.Equal(0, ToaModule.Unload(), "unload");
            t.Equal(live, KernelHeap.Stats.LiveBlocks, "everything freed");
        }
    }
}
