namespace Kernel.Services.Vfs
{
    public enum InodeKind : byte
    {
        Free = 0,
        File = 1,
        Directory = 2,
    }

    /// <summary>open(2) flags (Linux values).</summary>
    public static class OpenFlags
    {
        public const int ReadOnly = 0;
        public const int WriteOnly = 1;
        public const int ReadWrite = 2;
        public const int AccessMask = 3;
        public const int Create = 0x40;
        public const int Exclusive = 0x80;
        public const int Truncate = 0x200;
        public const int Append = 0x400;
        public const int Directory = 0x10000;
    }

    /// <summary>lseek(2) origins.</summary>
    public static class Whence
    {
        public const int Set = 0;
        public const int Current = 1;
        public const int End = 2;
    }

    /// <summary>What stat(2) reports.</summary>
    public struct FileStat
    {
        public int Inode;
        public InodeKind Kind;
        public long Size;
        public int Links;
        public int OpenCount;
        public int Blocks;
    }

    /// <summary>The preallocated pools of a RAM file system, all allocated when it is mounted: nothing is allocated
    /// afterwards, so long runs stay in bounded memory without a GC.</summary>
    public struct VfsLimits
    {
        public int MaxInodes;
        public int MaxBlocks;
        public int BlockSize;
        public int MaxBlocksPerFile;
        public int MaxEntries;
        public int MaxOpenFiles;

        public static VfsLimits Default => new VfsLimits
        {
            MaxInodes = 64,
            MaxBlocks = 256,
            BlockSize = 256,
            MaxBlocksPerFile = 32,
            MaxEntries = 96,
            MaxOpenFiles = 32,
        };

        public long MaxFileSize => (long)MaxBlocksPerFile * BlockSize;
    }

    /// <summary>Leak counters: live objects of every pool and the totals ever allocated and freed. After the
    /// last reference to everything is gone, only the root inode is live.</summary>
    public struct VfsCounters
    {
        public int LiveInodes;
        public int LiveBlocks;
        public int LiveEntries;
        public int OpenFiles;
        public long InodesAllocated;
        public long InodesFreed;
        public long BlocksAllocated;
        public long BlocksFreed;
    }
}
