using Kernel.Services.Memory;
using Kernel.Services.Sync;

namespace Kernel.Services.Process
{
    public enum TaskState : byte
    {
        Free = 0,
        Running,
        Exiting,
        Zombie,
    }

    /// <summary>Where the process code lets its host switch threads (the kernel yields there to force
    /// interleavings of exit and procfs reads; host tests count or yield). Never called with the table's
    /// lock held.</summary>
    public interface IPreemptionPoints
    {
        void Point(int site);
    }

    /// <summary>The sites passed to <see cref="IPreemptionPoints.Point"/>.</summary>
    public static class PreemptionSite
    {
        public const int ReadBeforeLookup = 1;
        public const int ReadAfterSnapshot = 2;
        public const int ReadBetweenFigures = 3;
        public const int ReadBeforeUnpin = 4;
        public const int ExitBeforeDetach = 5;
        public const int ExitAfterDetach = 6;
        public const int ExitAfterRelease = 7;
        public const int Count = 8;
    }

    /// <summary>A task (process): pid, parent, name, state, exit code, and its address space, which is
    /// <b>absent</b> from the moment the task starts exiting. Fields are read and written only under the
    /// table's lock; <see cref="Mm"/> is read once and matched on, never checked and then unwrapped.</summary>
    public sealed class KernelTask
    {
        public const int NameMax = 16;

        internal readonly char[] Name = new char[NameMax];
        internal int NameLength;
        internal int Pid;
        internal int Ppid;
        internal TaskState State;
        internal int ExitCode;
        internal Option<AddressSpace> Mm;
    }

    /// <summary>Processes over preallocated pools (tasks and address spaces, allocated once): spawn, exit, wait,
    /// and the consistent snapshot procfs renders from. Pids are never reused. Thread-safe through the
    /// <see cref="ICriticalSection"/> it is given.</summary>
    public sealed class ProcessTable
    {
        private readonly KernelTask[] _tasks;
        private readonly AddressSpace[] _spaces;
        private readonly int[] _freeSpaces;
        private int _freeSpaceCount;
        private readonly ICriticalSection _guard;
        private readonly IPreemptionPoints _points;
        private int _nextPid = 1;
        private int _liveTasks;
        private long _spacesRecycled;

        public ProcessTable(int capacity, ICriticalSection guard, IPreemptionPoints points)
        {
            _guard = guard;
            _points = points;
            _tasks = new KernelTask[capacity];
            _spaces = new AddressSpace[capacity];
            _freeSpaces = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _tasks[i] = new KernelTask();
                _spaces[i] = new AddressSpace(i);
                _freeSpaces[i] = capacity - 1 - i;
            }
            _freeSpaceCount = capacity;
        }

        public int Capacity => _tasks.Length;

        /// <summary>Tasks that hold a slot (running, exiting or zombie).</summary>
        public int LiveTasks => _liveTasks;

        /// <summary>Address spaces out of the pool (held by a task or pinned by a reader).</summary>
        public int LiveSpaces => _spaces.Length - _freeSpaceCount;

        public long SpacesRecycled => _spacesRecycled;

        /// <summary>A new running task, child of <paramref name="ppid"/> (0: no parent), with an empty address
        /// space. Its pid, or -ESRCH (no such parent), -EAGAIN (no task slot), -ENOMEM (no address space).</summary>
        public int Spawn(int ppid, string name)
        {
            _guard.Enter();
            if (ppid != 0 && FindLive(ppid) == null)
            {
                _guard.Exit();
                return -Errno.ESRCH;
            }
            KernelTask? task = null;
            for (int i = 0; i < _tasks.Length && task == null; i++)
            {
                if (_tasks[i].State == TaskState.Free)
                {
                    task = _tasks[i];
                }
            }
            if (task == null)
            {
                _guard.Exit();
                return -Errno.EAGAIN;
            }
            if (_freeSpaceCount == 0)
            {
                _guard.Exit();
                return -Errno.ENOMEM;
            }
            AddressSpace space = _spaces[_freeSpaces[--_freeSpaceCount]];
            int pid = _nextPid++;
            space.Owner = pid;
            space.Refs = 1; // the task's own reference
            int n = name.Length < KernelTask.NameMax - 1 ? name.Length : KernelTask.NameMax - 1;
            for (int i = 0; i < n; i++)
            {
                task.Name[i] = name[i];
            }
            task.NameLength = n;
            task.Pid = pid;
            task.Ppid = ppid;
            task.ExitCode = 0;
            task.Mm = Option<AddressSpace>.Some(space);
            task.State = TaskState.Running;
            _liveTasks++;
            _guard.Exit();
            return pid;
        }

        /// <summary>Maps a region into a running task's space: 0, or -ESRCH (gone or exiting), -EINVAL, -ENOMEM.</summary>
        public int Map(int pid, ulong start, ulong pages, int perms, string name, ulong touchedPages)
        {
            _guard.Enter();
            KernelTask? task = FindLive(pid);
            if (task == null || task.State != TaskState.Running)
            {
                _guard.Exit();
                return -Errno.ESRCH;
            }
            Option<AddressSpace> mm = task.Mm;
            if (!mm.TryUnwrap(out AddressSpace space))
            {
                _guard.Exit();
                return -Errno.ESRCH;
            }
            int r = space.Map(start, pages, perms, name);
            if (r == 0)
            {
                space.Touch(touchedPages);
            }
            _guard.Exit();
            return r;
        }

        /// <summary>Ends a running task: its address space becomes absent at once (readers that pinned it keep
        /// their view until they unpin), then it is a zombie until its parent waits for it; its children go
        /// to pid 1 (or, with no pid 1, to nobody: an orphan zombie is reaped at once). 0, or -ESRCH.</summary>
        public int Exit(int pid, int code)
        {
            _points.Point(PreemptionSite.ExitBeforeDetach);
            _guard.Enter();
            KernelTask? task = FindLive(pid);
            if (task == null || task.State != TaskState.Running)
            {
                _guard.Exit();
                return -Errno.ESRCH;
            }
            task.State = TaskState.Exiting;
            Option<AddressSpace> mm = task.Mm;
            task.Mm = Option<AddressSpace>.None;
            _guard.Exit();

            _points.Point(PreemptionSite.ExitAfterDetach);
            if (mm.TryUnwrap(out AddressSpace space))
            {
                Unpin(space);
            }
            _points.Point(PreemptionSite.ExitAfterRelease);

            _guard.Enter();
            KernelTask? init = pid == 1 ? null : FindLive(1);
            for (int i = 0; i < _tasks.Length; i++)
            {
                KernelTask child = _tasks[i];
                if (child.State != TaskState.Free && child.Ppid == pid)
                {
                    child.Ppid = init == null ? 0 : 1;
                    if (child.Ppid == 0 && child.State == TaskState.Zombie)
                    {
                        FreeSlot(child);
                    }
                }
            }
            task.ExitCode = code;
            task.State = TaskState.Zombie;
            if (task.Ppid == 0)
            {
                FreeSlot(task);
            }
            _guard.Exit();
            return 0;
        }

        /// <summary>waitpid(2) without blocking: reaps a zombie child of <paramref name="ppid"/>
        /// (<paramref name="pid"/> -1: any child). The child's pid, or -ECHILD (no such child), -EAGAIN (the
        /// child has not exited yet: the caller waits and retries).</summary>
        public int Wait(int ppid, int pid, out int exitCode)
        {
            exitCode = 0;
            _guard.Enter();
            bool anyChild = false;
            for (int i = 0; i < _tasks.Length; i++)
            {
                KernelTask child = _tasks[i];
                if (child.State == TaskState.Free || child.Ppid != ppid || (pid != -1 && child.Pid != pid))
                {
                    continue;
                }
                anyChild = true;
                if (child.State == TaskState.Zombie)
                {
                    int reaped = child.Pid;
                    exitCode = child.ExitCode;
                    FreeSlot(child);
                    _guard.Exit();
                    return reaped;
                }
            }
            _guard.Exit();
            return anyChild ? -Errno.EAGAIN : -Errno.ECHILD;
        }

        /// <summary>The state of a task, or <see cref="TaskState.Free"/> when no task has that pid.</summary>
        public TaskState StateOf(int pid)
        {
            _guard.Enter();
            KernelTask? task = FindLive(pid);
            TaskState state = task == null ? TaskState.Free : task.State;
            _guard.Exit();
            return state;
        }

        /// <summary>Takes a consistent snapshot of a task under the lock and pins its address space if it still
        /// has one. The caller renders from the snapshot and calls <see cref="Unpin"/> on a pinned space.</summary>
        internal bool TrySnapshot(int pid, ref TaskSnapshot snapshot)
        {
            _points.Point(PreemptionSite.ReadBeforeLookup);
            _guard.Enter();
            KernelTask? task = FindLive(pid);
            if (task == null)
            {
                _guard.Exit();
                return false;
            }
            snapshot.Pid = task.Pid;
            snapshot.Ppid = task.Ppid;
            snapshot.State = task.State;
            snapshot.NameLength = task.NameLength;
            for (int i = 0; i < task.NameLength; i++)
            {
                snapshot.Name[i] = task.Name[i];
            }
            // Seed 003: read the optional once, match on it. Exit may clear it at any moment after the lock.
            Option<AddressSpace> mm = task.Mm;
            if (mm.TryUnwrap(out AddressSpace space))
            {
                space.Refs++;
                snapshot.Space = Option<AddressSpace>.Some(space);
            }
            else
            {
                snapshot.Space = Option<AddressSpace>.None;
            }
            _guard.Exit();
            _points.Point(PreemptionSite.ReadAfterSnapshot);
            return true;
        }

        /// <summary>Drops one reference to a space; the last one returns it to the pool.</summary>
        internal void Unpin(AddressSpace space)
        {
            _guard.Enter();
            space.Refs--;
            if (space.Refs == 0)
            {
                space.Clear();
                _freeSpaces[_freeSpaceCount++] = space.Index;
                _spacesRecycled++;
            }
            _guard.Exit();
        }

        internal IPreemptionPoints Points => _points;

        /// <summary>Hands every pool to <paramref name="sink"/>; -EBUSY while a task is live. The table must
        /// not be used afterwards.</summary>
        public int ReturnStorage(IStorageSink sink)
        {
            if (_liveTasks != 0 || LiveSpaces != 0)
            {
                return -Errno.EBUSY;
            }
            for (int i = 0; i < _tasks.Length; i++)
            {
                sink.Free(_tasks[i].Name);
                sink.Free(_tasks[i]);
                _spaces[i].ReturnStorage(sink);
                sink.Free(_spaces[i]);
            }
            sink.Free(_tasks);
            sink.Free(_spaces);
            sink.Free(_freeSpaces);
            return 0;
        }

        private KernelTask? FindLive(int pid)
        {
            if (pid <= 0)
            {
                return null;
            }
            for (int i = 0; i < _tasks.Length; i++)
            {
                KernelTask t = _tasks[i];
                if (t.State != TaskState.Free && t.Pid == pid)
                {
                    return t;
                }
            }
            return null;
        }

        private void FreeSlot(KernelTask task)
        {
            task.State = TaskState.Free;
            task.Pid = 0;
            task.Ppid = 0;
            task.NameLength = 0;
            _liveTasks--;
        }
    }

    /// <summary>What a procfs read renders: copied under the table's lock, plus the pinned space if the task
    /// still had one. The name buffer belongs to the reader (allocated once, reused).</summary>
    public struct TaskSnapshot
    {
        public int Pid;
        public int Ppid;
        public TaskState State;
        public int NameLength;
        public char[] Name;
        public Option<AddressSpace> Space;

        public TaskSnapshot(char[] nameBuffer)
        {
            Pid = 0;
            Ppid = 0;
            State = TaskState.Free;
            NameLength = 0;
            Name = nameBuffer;
            Space = Option<AddressSpace>.None;
        }
    }
}
