using Kernel.Services.Memory;

namespace Kernel.Services.Vfs
{
    /// <summary>A RAM file system with POSIX semantics over preallocated pools (inodes, data blocks, directory
    /// entries, open files), allocated at mount and handed back at <see cref="Unmount"/>.
    ///
    /// Seed 002 (Nanos VirtFS): create, unlink, close crashed because unlink freed the file's metadata while a
    /// descriptor still used it. Here an inode has two reference counts, its links (directory entries) and its
    /// opens (open-file table slots); it is freed, with its blocks, only when both reach zero. An unlinked
    /// file stays readable and writable through its descriptors until the last close.
    ///
    /// Every call returns a value: a count, a descriptor or 0 on success, a negated <see cref="Errno"/> on
    /// failure (bad descriptor, double close, missing name...). Nothing here panics on caller input.
    /// Single-threaded: a caller that shares it between threads serializes the calls.</summary>
    public sealed class RamFs
    {
        public const int NameMax = 28;
        public const int RootInode = 0;
        private const int None = -1;

        private readonly VfsLimits _limits;

        // inodes
        private readonly InodeKind[] _kind;
        private readonly int[] _links;
        private readonly int[] _opens;
        private readonly long[] _size;
        private readonly int[] _parent;       // directories: the directory holding them
        private readonly int[] _firstEntry;   // directories: head of their entry chain
        private readonly int[] _entryCount;   // directories
        private readonly int[] _blockCount;   // files: blocks mapped
        private readonly int[] _blockMap;     // files: MaxBlocksPerFile slots each, None for a hole
        private readonly int[] _nextFreeInode;
        private int _freeInode;

        // data blocks
        private readonly byte[] _data;
        private readonly int[] _nextFreeBlock;
        private int _freeBlock;

        // directory entries
        private readonly char[] _entryName;
        private readonly int[] _entryNameLength;
        private readonly int[] _entryInode;
        private readonly int[] _entryNext;    // chain of the directory, or the free list
        private int _freeEntry;

        // open-file table
        private readonly int[] _fileInode;    // None when the slot is closed
        private readonly long[] _fileOffset;
        private readonly int[] _fileFlags;

        private VfsCounters _counters;
        private bool _unmounted;

        public RamFs(VfsLimits limits)
        {
            _limits = limits;
            int inodes = limits.MaxInodes;
            _kind = new InodeKind[inodes];
            _links = new int[inodes];
            _opens = new int[inodes];
            _size = new long[inodes];
            _parent = new int[inodes];
            _firstEntry = new int[inodes];
            _entryCount = new int[inodes];
            _blockCount = new int[inodes];
            _blockMap = new int[inodes * limits.MaxBlocksPerFile];
            _nextFreeInode = new int[inodes];
            _data = new byte[limits.MaxBlocks * limits.BlockSize];
            _nextFreeBlock = new int[limits.MaxBlocks];
            _entryName = new char[limits.MaxEntries * NameMax];
            _entryNameLength = new int[limits.MaxEntries];
            _entryInode = new int[limits.MaxEntries];
            _entryNext = new int[limits.MaxEntries];
            _fileInode = new int[limits.MaxOpenFiles];
            _fileOffset = new long[limits.MaxOpenFiles];
            _fileFlags = new int[limits.MaxOpenFiles];

            for (int i = 0; i < inodes; i++)
            {
                _nextFreeInode[i] = i + 1 < inodes ? i + 1 : None;
            }
            for (int i = 0; i < _blockMap.Length; i++)
            {
                _blockMap[i] = None;
            }
            for (int i = 0; i < limits.MaxBlocks; i++)
            {
                _nextFreeBlock[i] = i + 1 < limits.MaxBlocks ? i + 1 : None;
            }
            for (int i = 0; i < limits.MaxEntries; i++)
            {
                _entryNext[i] = i + 1 < limits.MaxEntries ? i + 1 : None;
            }
            for (int i = 0; i < limits.MaxOpenFiles; i++)
            {
                _fileInode[i] = None;
            }
            _freeInode = 0;
            _freeBlock = limits.MaxBlocks > 0 ? 0 : None;
            _freeEntry = limits.MaxEntries > 0 ? 0 : None;

            int root = AllocateInode(InodeKind.Directory);
            _links[root] = 1; // the mount holds the root
            _parent[root] = root;
        }

        public VfsCounters Counters => _counters;

        public VfsLimits Limits => _limits;

        // ---- open files ----------------------------------------------------------------------------

        /// <summary>open(2): a descriptor, or -EMFILE, -ENOENT, -ENOTDIR, -EEXIST, -EISDIR, -ENOSPC, -EINVAL,
        /// -ENAMETOOLONG.</summary>
        public int Open(string path, int flags)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int access = flags & OpenFlags.AccessMask;
            if (access == OpenFlags.AccessMask)
            {
                return -Errno.EINVAL;
            }
            int fd = FreeDescriptor();
            if (fd < 0)
            {
                return fd;
            }
            int r = Resolve(path, out int dir, out int nameStart, out int nameLength);
            if (r < 0)
            {
                return r;
            }
            int ino = nameLength == 0 ? dir : Lookup(dir, path, nameStart, nameLength);
            if (ino != None)
            {
                if ((flags & OpenFlags.Create) != 0 && (flags & OpenFlags.Exclusive) != 0)
                {
                    return -Errno.EEXIST;
                }
                if (_kind[ino] == InodeKind.Directory)
                {
                    if (access != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0)
                    {
                        return -Errno.EISDIR;
                    }
                }
                else if ((flags & OpenFlags.Directory) != 0)
                {
                    return -Errno.ENOTDIR;
                }
            }
            else
            {
                if ((flags & OpenFlags.Create) == 0)
                {
                    return -Errno.ENOENT;
                }
                ino = CreateEntry(dir, path, nameStart, nameLength, InodeKind.File);
                if (ino < 0)
                {
                    return ino;
                }
            }
            if (_kind[ino] == InodeKind.File && (flags & OpenFlags.Truncate) != 0 && access != OpenFlags.ReadOnly)
            {
                SetSize(ino, 0);
            }
            _fileInode[fd] = ino;
            _fileOffset[fd] = 0;
            _fileFlags[fd] = flags;
            _opens[ino]++;
            _counters.OpenFiles++;
            return fd;
        }

        /// <summary>creat(2): open for writing, created or truncated.</summary>
        public int Create(string path) => Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);

        /// <summary>close(2): 0, or -EBADF for a descriptor that is not open (also the second close).</summary>
        public int Close(int fd)
        {
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            _fileInode[fd] = None;
            _counters.OpenFiles--;
            _opens[ino]--;
            ReleaseIfUnused(ino);
            return 0;
        }

        /// <summary>read(2) into buffer[offset..offset+count): bytes read (0 at end of file), or -EBADF,
        /// -EISDIR, -EINVAL.</summary>
        public int Read(int fd, byte[] buffer, int offset, int count)
        {
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            if ((_fileFlags[fd] & OpenFlags.AccessMask) == OpenFlags.WriteOnly)
            {
                return -Errno.EBADF;
            }
            if (_kind[ino] == InodeKind.Directory)
            {
                return -Errno.EISDIR;
            }
            if (!ValidRange(buffer, offset, count))
            {
                return -Errno.EINVAL;
            }
            long pos = _fileOffset[fd];
            long size = _size[ino];
            if (pos >= size)
            {
                return 0;
            }
            int n = size - pos < count ? (int)(size - pos) : count;
            int bs = _limits.BlockSize;
            for (int done = 0; done < n;)
            {
                long at = pos + done;
                int index = (int)(at / bs);
                int within = (int)(at % bs);
                int chunk = bs - within < n - done ? bs - within : n - done;
                int block = _blockMap[ino * _limits.MaxBlocksPerFile + index];
                for (int i = 0; i < chunk; i++)
                {
                    buffer[offset + done + i] = block == None ? (byte)0 : _data[block * bs + within + i];
                }
                done += chunk;
            }
            _fileOffset[fd] = pos + n;
            return n;
        }

        /// <summary>write(2) from buffer[offset..offset+count): bytes written (short when the pool runs out
        /// after some bytes), or -EBADF, -EFBIG, -ENOSPC, -EINVAL.</summary>
        public int Write(int fd, byte[] buffer, int offset, int count)
        {
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            int flags = _fileFlags[fd];
            if ((flags & OpenFlags.AccessMask) == OpenFlags.ReadOnly)
            {
                return -Errno.EBADF;
            }
            if (!ValidRange(buffer, offset, count))
            {
                return -Errno.EINVAL;
            }
            long pos = (flags & OpenFlags.Append) != 0 ? _size[ino] : _fileOffset[fd];
            if (count == 0)
            {
                return 0;
            }
            long max = _limits.MaxFileSize;
            if (pos >= max)
            {
                return -Errno.EFBIG;
            }
            int n = max - pos < count ? (int)(max - pos) : count;
            int bs = _limits.BlockSize;
            int done = 0;
            while (done < n)
            {
                long at = pos + done;
                int index = (int)(at / bs);
                int within = (int)(at % bs);
                int chunk = bs - within < n - done ? bs - within : n - done;
                int slot = ino * _limits.MaxBlocksPerFile + index;
                int block = _blockMap[slot];
                if (block == None)
                {
                    block = AllocateBlock();
                    if (block == None)
                    {
                        break;
                    }
                    _blockMap[slot] = block;
                    _blockCount[ino]++;
                }
                for (int i = 0; i < chunk; i++)
                {
                    _data[block * bs + within + i] = buffer[offset + done + i];
                }
                done += chunk;
            }
            if (done == 0)
            {
                return -Errno.ENOSPC;
            }
            if (pos + done > _size[ino])
            {
                _size[ino] = pos + done;
            }
            _fileOffset[fd] = pos + done;
            return done;
        }

        /// <summary>lseek(2): the new offset, or -EBADF, -EINVAL.</summary>
        public long Seek(int fd, long offset, int whence)
        {
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            long origin;
            switch (whence)
            {
                case Whence.Set:
                    origin = 0;
                    break;
                case Whence.Current:
                    origin = _fileOffset[fd];
                    break;
                case Whence.End:
                    origin = _size[ino];
                    break;
                default:
                    return -Errno.EINVAL;
            }
            long target = origin + offset;
            if (target < 0)
            {
                return -Errno.EINVAL;
            }
            _fileOffset[fd] = target;
            return target;
        }

        /// <summary>ftruncate(2): 0, or -EBADF, -EINVAL (not open for writing, negative length), -EFBIG.</summary>
        public int Ftruncate(int fd, long length)
        {
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            if ((_fileFlags[fd] & OpenFlags.AccessMask) == OpenFlags.ReadOnly || _kind[ino] != InodeKind.File)
            {
                return -Errno.EINVAL;
            }
            return TruncateInode(ino, length);
        }

        /// <summary>truncate(2): 0, or -ENOENT, -EISDIR, -EINVAL, -EFBIG.</summary>
        public int Truncate(string path, long length)
        {
            int ino = LookupPath(path);
            if (ino < 0)
            {
                return ino;
            }
            if (_kind[ino] == InodeKind.Directory)
            {
                return -Errno.EISDIR;
            }
            return TruncateInode(ino, length);
        }

        // ---- names ---------------------------------------------------------------------------------

        /// <summary>unlink(2): 0 (also for a file that is open: it lives on until its last close), or
        /// -ENOENT, -EISDIR, -ENOTDIR.</summary>
        public int Unlink(string path)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int r = Resolve(path, out int dir, out int nameStart, out int nameLength);
            if (r < 0)
            {
                return r;
            }
            if (nameLength == 0)
            {
                return -Errno.EISDIR;
            }
            int entry = FindEntry(dir, path, nameStart, nameLength, out int previous);
            if (entry == None)
            {
                return -Errno.ENOENT;
            }
            int ino = _entryInode[entry];
            if (_kind[ino] == InodeKind.Directory)
            {
                return -Errno.EISDIR;
            }
            RemoveEntry(dir, entry, previous);
            _links[ino]--;
            ReleaseIfUnused(ino);
            return 0;
        }

        /// <summary>mkdir(2): 0, or -EEXIST, -ENOENT, -ENOTDIR, -ENOSPC.</summary>
        public int Mkdir(string path)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int r = Resolve(path, out int dir, out int nameStart, out int nameLength);
            if (r < 0)
            {
                return r;
            }
            if (nameLength == 0 || Lookup(dir, path, nameStart, nameLength) != None)
            {
                return -Errno.EEXIST;
            }
            int ino = CreateEntry(dir, path, nameStart, nameLength, InodeKind.Directory);
            return ino < 0 ? ino : 0;
        }

        /// <summary>rmdir(2): 0, or -ENOENT, -ENOTDIR, -ENOTEMPTY, -EBUSY (the root), -EINVAL (a path ending
        /// in . or ..). An open directory stays usable (empty) until its last close.</summary>
        public int Rmdir(string path)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int r = Resolve(path, out int dir, out int nameStart, out int nameLength);
            if (r < 0)
            {
                return r;
            }
            if (nameLength == 0)
            {
                return dir == RootInode ? -Errno.EBUSY : -Errno.EINVAL;
            }
            int entry = FindEntry(dir, path, nameStart, nameLength, out int previous);
            if (entry == None)
            {
                return -Errno.ENOENT;
            }
            int ino = _entryInode[entry];
            if (_kind[ino] != InodeKind.Directory)
            {
                return -Errno.ENOTDIR;
            }
            if (_entryCount[ino] != 0)
            {
                return -Errno.ENOTEMPTY;
            }
            RemoveEntry(dir, entry, previous);
            _links[ino] = 0;
            ReleaseIfUnused(ino);
            return 0;
        }

        /// <summary>rename(2): 0, or -ENOENT, -ENOTDIR, -EISDIR, -ENOTEMPTY, -EINVAL (a directory into its own
        /// subtree), -EBUSY (the root). A replaced target loses its name; if it is open it lives on until
        /// its last close. Moving an entry allocates nothing, so rename never fails for lack of space.</summary>
        public int Rename(string from, string to)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int r = Resolve(from, out int fromDir, out int fromStart, out int fromLength);
            if (r < 0)
            {
                return r;
            }
            r = Resolve(to, out int toDir, out int toStart, out int toLength);
            if (r < 0)
            {
                return r;
            }
            if (fromLength == 0 || toLength == 0)
            {
                return (fromLength == 0 && fromDir == RootInode) || (toLength == 0 && toDir == RootInode) ? -Errno.EBUSY : -Errno.EINVAL;
            }
            int source = FindEntry(fromDir, from, fromStart, fromLength, out int sourcePrevious);
            if (source == None)
            {
                return -Errno.ENOENT;
            }
            int ino = _entryInode[source];
            int target = FindEntry(toDir, to, toStart, toLength, out int targetPrevious);
            int replaced = target == None ? None : _entryInode[target];
            if (replaced == ino)
            {
                return 0;
            }
            if (replaced != None)
            {
                if (_kind[ino] == InodeKind.Directory && _kind[replaced] != InodeKind.Directory)
                {
                    return -Errno.ENOTDIR;
                }
                if (_kind[ino] != InodeKind.Directory && _kind[replaced] == InodeKind.Directory)
                {
                    return -Errno.EISDIR;
                }
                if (_kind[replaced] == InodeKind.Directory && _entryCount[replaced] != 0)
                {
                    return -Errno.ENOTEMPTY;
                }
            }
            if (_kind[ino] == InodeKind.Directory && IsWithin(toDir, ino))
            {
                return -Errno.EINVAL;
            }

            if (replaced != None)
            {
                // the target entry now names the source inode; the source entry goes away
                _entryInode[target] = ino;
                RemoveEntry(fromDir, source, sourcePrevious);
                if (_kind[replaced] == InodeKind.Directory)
                {
                    _links[replaced] = 0;
                }
                else
                {
                    _links[replaced]--;
                }
                ReleaseIfUnused(replaced);
            }
            else
            {
                // move the entry itself: unchain it, rename it, chain it into the target directory
                RemoveFromChain(fromDir, source, sourcePrevious);
                SetName(source, to, toStart, toLength);
                _entryNext[source] = _firstEntry[toDir];
                _firstEntry[toDir] = source;
                _entryCount[toDir]++;
            }
            if (_kind[ino] == InodeKind.Directory)
            {
                _parent[ino] = toDir;
            }
            return 0;
        }

        /// <summary>readdir(3) on a directory descriptor: copies the next entry's name into
        /// <paramref name="name"/> (at least <see cref="NameMax"/> characters) and returns its length, 0 at the
        /// end, or -EBADF, -ENOTDIR, -EINVAL.</summary>
        public int ReadDir(int fd, char[] name, out int inode)
        {
            inode = None;
            int dir = InodeOf(fd);
            if (dir < 0)
            {
                return dir;
            }
            if (_kind[dir] != InodeKind.Directory)
            {
                return -Errno.ENOTDIR;
            }
            if (name.Length < NameMax)
            {
                return -Errno.EINVAL;
            }
            long ordinal = _fileOffset[fd];
            int entry = _firstEntry[dir];
            for (long i = 0; i < ordinal && entry != None; i++)
            {
                entry = _entryNext[entry];
            }
            if (entry == None)
            {
                return 0;
            }
            int length = _entryNameLength[entry];
            for (int i = 0; i < length; i++)
            {
                name[i] = _entryName[entry * NameMax + i];
            }
            inode = _entryInode[entry];
            _fileOffset[fd] = ordinal + 1;
            return length;
        }

        /// <summary>stat(2): 0, or -ENOENT, -ENOTDIR.</summary>
        public int Stat(string path, out FileStat stat)
        {
            stat = default;
            int ino = LookupPath(path);
            if (ino < 0)
            {
                return ino;
            }
            stat = StatOf(ino);
            return 0;
        }

        /// <summary>fstat(2): 0, or -EBADF.</summary>
        public int Fstat(int fd, out FileStat stat)
        {
            stat = default;
            int ino = InodeOf(fd);
            if (ino < 0)
            {
                return ino;
            }
            stat = StatOf(ino);
            return 0;
        }

        /// <summary>Unmount: -EBUSY while a descriptor is open; otherwise frees every remaining file and hands
        /// every pool to <paramref name="sink"/>. Every call afterwards returns -EIO.</summary>
        public int Unmount(IStorageSink sink)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            if (_counters.OpenFiles != 0)
            {
                return -Errno.EBUSY;
            }
            RemoveTree(RootInode);
            _links[RootInode] = 0;
            ReleaseIfUnused(RootInode);
            _unmounted = true;
            sink.Free(_kind);
            sink.Free(_links);
            sink.Free(_opens);
            sink.Free(_size);
            sink.Free(_parent);
            sink.Free(_firstEntry);
            sink.Free(_entryCount);
            sink.Free(_blockCount);
            sink.Free(_blockMap);
            sink.Free(_nextFreeInode);
            sink.Free(_data);
            sink.Free(_nextFreeBlock);
            sink.Free(_entryName);
            sink.Free(_entryNameLength);
            sink.Free(_entryInode);
            sink.Free(_entryNext);
            sink.Free(_fileInode);
            sink.Free(_fileOffset);
            sink.Free(_fileFlags);
            return 0;
        }

        // ---- internals -----------------------------------------------------------------------------

        private FileStat StatOf(int ino)
        {
            FileStat s;
            s.Inode = ino;
            s.Kind = _kind[ino];
            s.Size = _kind[ino] == InodeKind.Directory ? _entryCount[ino] : _size[ino];
            s.Links = _links[ino];
            s.OpenCount = _opens[ino];
            s.Blocks = _blockCount[ino];
            return s;
        }

        /// <summary>The inode behind an open descriptor, or -EBADF.</summary>
        private int InodeOf(int fd)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            if (fd < 0 || fd >= _limits.MaxOpenFiles)
            {
                return -Errno.EBADF;
            }
            int ino = _fileInode[fd];
            return ino == None ? -Errno.EBADF : ino;
        }

        private int FreeDescriptor()
        {
            for (int fd = 0; fd < _limits.MaxOpenFiles; fd++)
            {
                if (_fileInode[fd] == None)
                {
                    return fd;
                }
            }
            return -Errno.EMFILE;
        }

        private static bool ValidRange(byte[] buffer, int offset, int count)
        {
            return offset >= 0 && count >= 0 && offset <= buffer.Length && count <= buffer.Length - offset;
        }

        private int TruncateInode(int ino, long length)
        {
            if (length < 0)
            {
                return -Errno.EINVAL;
            }
            if (length > _limits.MaxFileSize)
            {
                return -Errno.EFBIG;
            }
            SetSize(ino, length);
            return 0;
        }

        /// <summary>Sets a file's size: blocks wholly past the end are freed, the tail of the last block is
        /// zeroed (so a later extension reads zeros).</summary>
        private void SetSize(int ino, long length)
        {
            int bs = _limits.BlockSize;
            int per = _limits.MaxBlocksPerFile;
            if (length < _size[ino])
            {
                int keep = (int)((length + bs - 1) / bs);
                for (int i = keep; i < per; i++)
                {
                    FreeBlockAt(ino, i);
                }
                int within = (int)(length % bs);
                if (within != 0)
                {
                    int block = _blockMap[ino * per + (int)(length / bs)];
                    if (block != None)
                    {
                        for (int i = within; i < bs; i++)
                        {
                            _data[block * bs + i] = 0;
                        }
                    }
                }
            }
            _size[ino] = length;
        }

        private void FreeBlockAt(int ino, int index)
        {
            int slot = ino * _limits.MaxBlocksPerFile + index;
            int block = _blockMap[slot];
            if (block == None)
            {
                return;
            }
            _blockMap[slot] = None;
            _blockCount[ino]--;
            _nextFreeBlock[block] = _freeBlock;
            _freeBlock = block;
            _counters.LiveBlocks--;
            _counters.BlocksFreed++;
        }

        private int AllocateBlock()
        {
            int block = _freeBlock;
            if (block == None)
            {
                return None;
            }
            _freeBlock = _nextFreeBlock[block];
            int bs = _limits.BlockSize;
            for (int i = 0; i < bs; i++)
            {
                _data[block * bs + i] = 0;
            }
            _counters.LiveBlocks++;
            _counters.BlocksAllocated++;
            return block;
        }

        private int AllocateInode(InodeKind kind)
        {
            int ino = _freeInode;
            if (ino == None)
            {
                return None;
            }
            _freeInode = _nextFreeInode[ino];
            _kind[ino] = kind;
            _links[ino] = 0;
            _opens[ino] = 0;
            _size[ino] = 0;
            _parent[ino] = None;
            _firstEntry[ino] = None;
            _entryCount[ino] = 0;
            _blockCount[ino] = 0;
            _counters.LiveInodes++;
            _counters.InodesAllocated++;
            return ino;
        }

        /// <summary>Frees an inode and its blocks once no name and no descriptor refers to it.</summary>
        private void ReleaseIfUnused(int ino)
        {
            if (_links[ino] > 0 || _opens[ino] > 0)
            {
                return;
            }
            if (_kind[ino] == InodeKind.File)
            {
                for (int i = 0; i < _limits.MaxBlocksPerFile; i++)
                {
                    FreeBlockAt(ino, i);
                }
            }
            _kind[ino] = InodeKind.Free;
            _size[ino] = 0;
            _nextFreeInode[ino] = _freeInode;
            _freeInode = ino;
            _counters.LiveInodes--;
            _counters.InodesFreed++;
        }

        private int CreateEntry(int dir, string path, int nameStart, int nameLength, InodeKind kind)
        {
            if (_links[dir] == 0)
            {
                return -Errno.ENOENT; // a removed directory takes no new names
            }
            int entry = _freeEntry;
            if (entry == None)
            {
                return -Errno.ENOSPC;
            }
            int ino = AllocateInode(kind);
            if (ino == None)
            {
                return -Errno.ENOSPC;
            }
            _freeEntry = _entryNext[entry];
            _counters.LiveEntries++;
            SetName(entry, path, nameStart, nameLength);
            _entryInode[entry] = ino;
            _entryNext[entry] = _firstEntry[dir];
            _firstEntry[dir] = entry;
            _entryCount[dir]++;
            _links[ino] = 1;
            if (kind == InodeKind.Directory)
            {
                _parent[ino] = dir;
            }
            return ino;
        }

        private void SetName(int entry, string path, int start, int length)
        {
            for (int i = 0; i < length; i++)
            {
                _entryName[entry * NameMax + i] = path[start + i];
            }
            _entryNameLength[entry] = length;
        }

        private void RemoveFromChain(int dir, int entry, int previous)
        {
            if (previous == None)
            {
                _firstEntry[dir] = _entryNext[entry];
            }
            else
            {
                _entryNext[previous] = _entryNext[entry];
            }
            _entryCount[dir]--;
        }

        private void RemoveEntry(int dir, int entry, int previous)
        {
            RemoveFromChain(dir, entry, previous);
            _entryInode[entry] = None;
            _entryNext[entry] = _freeEntry;
            _freeEntry = entry;
            _counters.LiveEntries--;
        }

        /// <summary>Removes every name below a directory (unmount), depth first, without recursion limits
        /// mattering: directories are at most MaxInodes deep.</summary>
        private void RemoveTree(int dir)
        {
            while (_firstEntry[dir] != None)
            {
                int entry = _firstEntry[dir];
                int ino = _entryInode[entry];
                if (_kind[ino] == InodeKind.Directory)
                {
                    RemoveTree(ino);
                    _links[ino] = 0;
                }
                else
                {
                    _links[ino]--;
                }
                RemoveEntry(dir, entry, None);
                ReleaseIfUnused(ino);
            }
        }

        /// <summary>Is <paramref name="dir"/> the directory <paramref name="ancestor"/> or below it?</summary>
        private bool IsWithin(int dir, int ancestor)
        {
            int d = dir;
            for (int depth = 0; depth <= _limits.MaxInodes; depth++)
            {
                if (d == ancestor)
                {
                    return true;
                }
                if (d == RootInode)
                {
                    return false;
                }
                d = _parent[d];
            }
            return false;
        }

        private int Lookup(int dir, string path, int start, int length)
        {
            int entry = FindEntry(dir, path, start, length, out int _);
            return entry == None ? None : _entryInode[entry];
        }

        private int FindEntry(int dir, string path, int start, int length, out int previous)
        {
            previous = None;
            for (int e = _firstEntry[dir]; e != None; e = _entryNext[e])
            {
                if (NameEquals(e, path, start, length))
                {
                    return e;
                }
                previous = e;
            }
            return None;
        }

        private bool NameEquals(int entry, string path, int start, int length)
        {
            if (_entryNameLength[entry] != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (_entryName[entry * NameMax + i] != path[start + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The inode a path names, or a negated errno.</summary>
        private int LookupPath(string path)
        {
            if (_unmounted)
            {
                return -Errno.EIO;
            }
            int r = Resolve(path, out int dir, out int nameStart, out int nameLength);
            if (r < 0)
            {
                return r;
            }
            if (nameLength == 0)
            {
                return dir;
            }
            int ino = Lookup(dir, path, nameStart, nameLength);
            return ino == None ? -Errno.ENOENT : ino;
        }

        /// <summary>Walks an absolute path to the directory holding its last component, without allocating.
        /// The last component is returned as a range of <paramref name="path"/>; its length is 0 when the path
        /// names a directory itself ("/", or a last component "." or ".."), which is then <paramref name="dir"/>.
        /// Errors: -EINVAL (not absolute), -ENOENT, -ENOTDIR, -ENAMETOOLONG.</summary>
        private int Resolve(string path, out int dir, out int nameStart, out int nameLength)
        {
            dir = RootInode;
            nameStart = 0;
            nameLength = 0;
            if (path.Length == 0)
            {
                return -Errno.ENOENT;
            }
            if (path[0] != '/')
            {
                return -Errno.EINVAL;
            }
            int i = 0;
            while (true)
            {
                while (i < path.Length && path[i] == '/')
                {
                    i++;
                }
                if (i == path.Length)
                {
                    return 0; // nothing after the last separator: the path names `dir`
                }
                int start = i;
                while (i < path.Length && path[i] != '/')
                {
                    i++;
                }
                int length = i - start;
                if (length > NameMax)
                {
                    return -Errno.ENAMETOOLONG;
                }
                int rest = i;
                while (rest < path.Length && path[rest] == '/')
                {
                    rest++;
                }
                bool last = rest == path.Length;
                if (length == 1 && path[start] == '.')
                {
                    continue;
                }
                if (length == 2 && path[start] == '.' && path[start + 1] == '.')
                {
                    dir = _parent[dir];
                    continue;
                }
                if (last)
                {
                    nameStart = start;
                    nameLength = length;
                    return 0;
                }
                int next = Lookup(dir, path, start, length);
                if (next == None)
                {
                    return -Errno.ENOENT;
                }
                if (_kind[next] != InodeKind.Directory)
                {
                    return -Errno.ENOTDIR;
                }
                dir = next;
            }
        }
    }
}
