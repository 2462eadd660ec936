namespace Kernel.Services.Process
{
    /// <summary>Region permissions, as the maps file shows them.</summary>
    public static class RegionPerms
    {
        public const int Read = 4;
        public const int Write = 2;
        public const int Execute = 1;
    }

    /// <summary>A process's address space: its mapped regions and memory figures. Pooled by the
    /// <see cref="ProcessTable"/> (no GC): a space is handed to a task at spawn, detached from it at exit, and
    /// recycled when the last holder unpins it. A procfs reader pins the space while it renders, so an exit in
    /// between cannot recycle it under the reader.
    ///
    /// Regions are only appended (by the owner, under the table's lock) and the count is published after the
    /// region is written, so a pinned reader sees a consistent prefix without holding the lock.</summary>
    public sealed class AddressSpace
    {
        public const int MaxRegions = 8;
        public const ulong PageSize = 4096;

        private readonly ulong[] _start = new ulong[MaxRegions];
        private readonly ulong[] _end = new ulong[MaxRegions];
        private readonly int[] _perms = new int[MaxRegions];
        private readonly string[] _names = new string[MaxRegions];
        private int _count;
        private ulong _residentPages;

        internal int Refs;
        internal int Owner;
        internal int Index;

        internal AddressSpace(int index)
        {
            Index = index;
            for (int i = 0; i < MaxRegions; i++)
            {
                _names[i] = "";
            }
        }

        public int RegionCount => _count;

        public int OwnerPid => Owner;

        /// <summary>VmSize: every mapped byte.</summary>
        public ulong SizeBytes
        {
            get
            {
                ulong total = 0;
                int n = _count;
                for (int i = 0; i < n; i++)
                {
                    total += _end[i] - _start[i];
                }
                return total;
            }
        }

        /// <summary>VmRSS: the pages the owner touched.</summary>
        public ulong ResidentBytes => _residentPages * PageSize;

        public ulong RegionStart(int i) => _start[i];

        public ulong RegionEnd(int i) => _end[i];

        public int RegionPermissions(int i) => _perms[i];

        public string RegionName(int i) => _names[i];

        /// <summary>Adds a region of <paramref name="pages"/> pages at <paramref name="start"/> (page aligned,
        /// not overlapping another). <paramref name="name"/> must outlive the space (a literal). 0, or -EINVAL,
        /// -ENOMEM (no region slot left).</summary>
        internal int Map(ulong start, ulong pages, int perms, string name)
        {
            if (pages == 0 || start % PageSize != 0 || start + pages * PageSize < start)
            {
                return -Errno.EINVAL;
            }
            ulong end = start + pages * PageSize;
            for (int i = 0; i < _count; i++)
            {
                if (start < _end[i] && _start[i] < end)
                {
                    return -Errno.EINVAL;
                }
            }
            if (_count == MaxRegions)
            {
                return -Errno.ENOMEM;
            }
            int slot = _count;
            _start[slot] = start;
            _end[slot] = end;
            _perms[slot] = perms;
            _names[slot] = name;
            _count = slot + 1; // published last
            return 0;
        }

        internal void Touch(ulong pages) => _residentPages += pages;

        internal void Clear()
        {
            for (int i = 0; i < MaxRegions; i++)
            {
                _names[i] = "";
            }
            _count = 0;
            _residentPages = 0;
            Owner = 0;
        }

        internal void ReturnStorage(Memory.IStorageSink sink)
        {
            sink.Free(_start);
            sink.Free(_end);
            sink.Free(_perms);
            sink.Free(_names);
        }
    }
}
