using Kernel.Services.Text;

namespace Kernel.Services.Process
{
    /// <summary>The /proc files of a <see cref="ProcessTable"/>: <c>/proc/&lt;pid&gt;/status</c> and
    /// <c>/proc/&lt;pid&gt;/maps</c>, rendered from a snapshot straight into the caller's buffer at a file offset
    /// (no allocation).
    ///
    /// Seed 003 (Asterinas): reading status while the process exited unwrapped its address space after exit
    /// had set it to None, and the kernel panicked. Here, documented results:
    /// <list type="bullet">
    /// <item>no task with that pid (never existed, or reaped): <c>-ESRCH</c>;</item>
    /// <item>a task that is exiting or a zombie has no address space: status is the <b>short result</b>
    /// (Name, State <c>Z (zombie)</c>, Pid, PPid, Threads; no Vm lines, as Linux shows zombies), maps is empty;</item>
    /// <item>a running task: every line. If it exits while the reader renders, the reader's pin keeps the
    /// space it snapshotted until the reader is done: the figures are those of that instant.</item>
    /// </list>
    /// One instance per reader thread (it owns the snapshot's name buffer).</summary>
    public sealed class ProcFs
    {
        private readonly ProcessTable _table;
        private TaskSnapshot _snapshot;

        public ProcFs(ProcessTable table)
        {
            _table = table;
            _snapshot = new TaskSnapshot(new char[KernelTask.NameMax]);
        }

        /// <summary>read(2) of a procfs path at <paramref name="fileOffset"/>: bytes stored into
        /// buffer[offset..offset+count), or -ESRCH (no such process), -ENOENT (no such file), -EINVAL.</summary>
        public int Read(string path, long fileOffset, byte[] buffer, int offset, int count)
        {
            if (!ParsePath(path, out int pid, out bool maps))
            {
                return -Errno.ENOENT;
            }
            return maps ? ReadMaps(pid, fileOffset, buffer, offset, count) : ReadStatus(pid, fileOffset, buffer, offset, count);
        }

        public int ReadStatus(int pid, long fileOffset, byte[] buffer, int offset, int count)
        {
            if (!ValidRange(buffer, offset, count, fileOffset))
            {
                return -Errno.EINVAL;
            }
            if (!_table.TrySnapshot(pid, ref _snapshot))
            {
                return -Errno.ESRCH;
            }
            TextWindow w = new TextWindow(buffer, offset, count, fileOffset);
            w.Text("Name:\t");
            w.Chars(_snapshot.Name, _snapshot.NameLength);
            w.Text("\nState:\t");
            w.Text(StateText(_snapshot.State));
            w.Text("\nPid:\t");
            w.Decimal(_snapshot.Pid);
            w.Text("\nPPid:\t");
            w.Decimal(_snapshot.Ppid);
            w.Char('\n');
            Option<AddressSpace> pinned = _snapshot.Space;
            _snapshot.Space = Option<AddressSpace>.None;
            if (pinned.TryUnwrap(out AddressSpace space))
            {
                w.Text("VmSize:\t");
                w.Unsigned(space.SizeBytes / 1024);
                w.Text(" kB\n");
                _table.Points.Point(PreemptionSite.ReadBetweenFigures);
                w.Text("VmRSS:\t");
                w.Unsigned(space.ResidentBytes / 1024);
                w.Text(" kB\n");
                w.Text("VmRegions:\t");
                w.Decimal(space.RegionCount);
                w.Char('\n');
                _table.Points.Point(PreemptionSite.ReadBeforeUnpin);
                _table.Unpin(space);
            }
            w.Text("Threads:\t1\n");
            return w.Stored;
        }

        public int ReadMaps(int pid, long fileOffset, byte[] buffer, int offset, int count)
        {
            if (!ValidRange(buffer, offset, count, fileOffset))
            {
                return -Errno.EINVAL;
            }
            if (!_table.TrySnapshot(pid, ref _snapshot))
            {
                return -Errno.ESRCH;
            }
            TextWindow w = new TextWindow(buffer, offset, count, fileOffset);
            Option<AddressSpace> pinned = _snapshot.Space;
            _snapshot.Space = Option<AddressSpace>.None;
            if (pinned.TryUnwrap(out AddressSpace space))
            {
                int regions = space.RegionCount;
                for (int i = 0; i < regions; i++)
                {
                    w.Hex(space.RegionStart(i), 8);
                    w.Char('-');
                    w.Hex(space.RegionEnd(i), 8);
                    w.Char(' ');
                    int p = space.RegionPermissions(i);
                    w.Char((p & RegionPerms.Read) != 0 ? 'r' : '-');
                    w.Char((p & RegionPerms.Write) != 0 ? 'w' : '-');
                    w.Char((p & RegionPerms.Execute) != 0 ? 'x' : '-');
                    w.Text("p 00000000 00:00 0 ");
                    w.Text(space.RegionName(i));
                    w.Char('\n');
                    _table.Points.Point(PreemptionSite.ReadBetweenFigures);
                }
                _table.Points.Point(PreemptionSite.ReadBeforeUnpin);
                _table.Unpin(space);
            }
            return w.Stored;
        }

        /// <summary>Hands the reader's buffers to <paramref name="sink"/>; the reader must not be used afterwards.</summary>
        public void ReturnStorage(Memory.IStorageSink sink) => sink.Free(_snapshot.Name);

        public static string StateText(TaskState state)
        {
            switch (state)
            {
                case TaskState.Running:
                    return "R (running)";
                case TaskState.Exiting:
                case TaskState.Zombie:
                    return "Z (zombie)";
                default:
                    return "X (dead)";
            }
        }

        private static bool ValidRange(byte[] buffer, int offset, int count, long fileOffset)
        {
            return fileOffset >= 0 && offset >= 0 && count >= 0 && offset <= buffer.Length && count <= buffer.Length - offset;
        }

        /// <summary>"/proc/&lt;pid&gt;/status" or "/proc/&lt;pid&gt;/maps", without allocating.</summary>
        public static bool ParsePath(string path, out int pid, out bool maps)
        {
            pid = 0;
            maps = false;
            const string prefix = "/proc/";
            if (path.Length < prefix.Length || !HasPrefix(path, prefix))
            {
                return false;
            }
            int i = prefix.Length;
            long value = 0;
            int digits = 0;
            while (i < path.Length && path[i] >= '0' && path[i] <= '9' && digits < 9)
            {
                value = value * 10 + (path[i] - '0');
                i++;
                digits++;
            }
            if (digits == 0 || i >= path.Length || path[i] != '/')
            {
                return false;
            }
            i++;
            if (Matches(path, i, "status"))
            {
                pid = (int)value;
                return true;
            }
            if (Matches(path, i, "maps"))
            {
                pid = (int)value;
                maps = true;
                return true;
            }
            return false;
        }

        private static bool HasPrefix(string path, string prefix)
        {
            for (int k = 0; k < prefix.Length; k++)
            {
                if (path[k] != prefix[k])
                {
                    return false;
                }
            }
            return true;
        }

        private static bool Matches(string path, int at, string name)
        {
            if (path.Length - at != name.Length)
            {
                return false;
            }
            for (int k = 0; k < name.Length; k++)
            {
                if (path[at + k] != name[k])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
