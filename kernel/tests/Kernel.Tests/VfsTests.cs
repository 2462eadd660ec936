using System;
using System.Collections.Generic;
using System.Linq;
using Kernel.Services;
using Kernel.Services.Memory;
using Kernel.Services.Vfs;
using Xunit;

namespace Kernel.Tests;

/// <summary>The host's storage sink: counts what a service hands back (the GC reclaims it).</summary>
public sealed class CountingSink : IStorageSink
{
    public List<object> Freed { get; } = new();

    public void Free(object storage)
    {
        Assert.DoesNotContain(Freed, o => ReferenceEquals(o, storage)); // never handed back twice
        Freed.Add(storage);
    }
}

public sealed class VfsTests
{
    private static readonly byte[] Hello = "hello"u8.ToArray();

    private static RamFs NewFs() => new(VfsLimits.Default);

    [Fact]
    public void SeedCreateUnlinkClose()
    {
        RamFs fs = NewFs();
        Assert.Equal(0, fs.Mkdir("/tmp"));
        int fd = fs.Open("/tmp/.tmp123456", OpenFlags.WriteOnly | OpenFlags.Create);
        Assert.True(fd >= 0);
        Assert.Equal(0, fs.Unlink("/tmp/.tmp123456"));
        Assert.Equal(3, fs.Counters.LiveInodes); // root, /tmp and the unlinked file held by its descriptor
        Assert.Equal(0, fs.Close(fd));
        Assert.Equal(2, fs.Counters.LiveInodes);
        Assert.Equal(-Errno.EBADF, fs.Close(fd));
        Assert.Equal(-Errno.EBADF, fs.Close(-1));
        Assert.Equal(-Errno.EBADF, fs.Close(1000));
        Assert.Equal(-Errno.ENOENT, fs.Unlink("/tmp/.tmp123456"));
        Assert.Equal(0, fs.Rmdir("/tmp"));
        VfsCounters c = fs.Counters;
        Assert.Equal(1, c.LiveInodes);
        Assert.Equal(c.InodesAllocated - 1, c.InodesFreed);
        var sink = new CountingSink();
        Assert.Equal(0, fs.Unmount(sink));
        Assert.Equal(19, sink.Freed.Count);
        Assert.Equal(0, fs.Counters.LiveInodes);
        Assert.Equal(-Errno.EIO, fs.Open("/x", OpenFlags.Create));
        Assert.Equal(-Errno.EIO, fs.Unmount(sink));
    }

    [Fact]
    public void TwoOpensWriteAfterUnlinkReadThroughTheOther()
    {
        RamFs fs = NewFs();
        int a = fs.Open("/f", OpenFlags.ReadWrite | OpenFlags.Create);
        int b = fs.Open("/f", OpenFlags.ReadOnly);
        Assert.Equal(0, fs.Unlink("/f"));
        Assert.Equal(-Errno.ENOENT, fs.Open("/f", OpenFlags.ReadOnly));
        Assert.Equal(5, fs.Write(a, Hello, 0, 5));
        byte[] buf = new byte[10];
        Assert.Equal(5, fs.Read(b, buf, 0, 10));
        Assert.Equal(Hello, buf.Take(5).ToArray());
        Assert.Equal(0, fs.Fstat(a, out FileStat st));
        Assert.Equal(0, st.Links);
        Assert.Equal(2, st.OpenCount);
        Assert.Equal(0, fs.Close(a));
        Assert.Equal(1, fs.Counters.LiveBlocks);
        Assert.Equal(0, fs.Close(b));
        Assert.Equal(0, fs.Counters.LiveBlocks);
        Assert.Equal(1, fs.Counters.LiveInodes);
    }

    [Fact]
    public void RenameOverAnOpenFileKeepsItAliveUntilClose()
    {
        RamFs fs = NewFs();
        int old = fs.Create("/target");
        fs.Write(old, Hello, 0, 5);
        int src = fs.Create("/source");
        fs.Write(src, Hello, 0, 2);
        fs.Close(src);
        Assert.Equal(0, fs.Rename("/source", "/target"));
        Assert.Equal(0, fs.Stat("/target", out FileStat st));
        Assert.Equal(2, st.Size);
        Assert.Equal(0, fs.Fstat(old, out FileStat replaced));
        Assert.Equal(0, replaced.Links);
        Assert.Equal(5, replaced.Size);
        Assert.Equal(3, fs.Counters.LiveInodes);
        Assert.Equal(0, fs.Close(old));
        Assert.Equal(2, fs.Counters.LiveInodes);
        Assert.Equal(0, fs.Rename("/target", "/target")); // same file: nothing happens
        Assert.Equal(0, fs.Unlink("/target"));
        Assert.Equal(1, fs.Counters.LiveInodes);
        Assert.Equal(0, fs.Counters.LiveEntries);
    }

    [Fact]
    public void DirectoryRulesAndErrors()
    {
        RamFs fs = NewFs();
        Assert.Equal(0, fs.Mkdir("/d"));
        Assert.Equal(-Errno.EEXIST, fs.Mkdir("/d"));
        Assert.Equal(-Errno.EEXIST, fs.Mkdir("/"));
        Assert.Equal(0, fs.Mkdir("/d/e"));
        int f = fs.Create("/d/e/f");
        Assert.Equal(-Errno.ENOTEMPTY, fs.Rmdir("/d"));
        Assert.Equal(-Errno.ENOTDIR, fs.Rmdir("/d/e/f"));
        Assert.Equal(-Errno.EISDIR, fs.Unlink("/d"));
        Assert.Equal(-Errno.EBUSY, fs.Rmdir("/"));
        Assert.Equal(-Errno.EINVAL, fs.Rmdir("/d/."));
        Assert.Equal(-Errno.EINVAL, fs.Rename("/d", "/d/e/g"));
        Assert.Equal(-Errno.ENOTDIR, fs.Open("/d/e/f/x", OpenFlags.ReadOnly));
        Assert.Equal(-Errno.EISDIR, fs.Open("/d", OpenFlags.ReadWrite));
        Assert.Equal(-Errno.ENOTDIR, fs.Open("/d/e/f", OpenFlags.ReadOnly | OpenFlags.Directory));
        Assert.Equal(-Errno.EEXIST, fs.Open("/d/e/f", OpenFlags.ReadOnly | OpenFlags.Create | OpenFlags.Exclusive));
        Assert.Equal(-Errno.EINVAL, fs.Open("relative", OpenFlags.ReadOnly));
        Assert.Equal(-Errno.ENOENT, fs.Open("", OpenFlags.ReadOnly));
        Assert.Equal(-Errno.ENAMETOOLONG, fs.Mkdir("/" + new string('n', RamFs.NameMax + 1)));
        Assert.Equal(-Errno.EISDIR, fs.Rename("/d/e/f", "/d"));
        Assert.Equal(-Errno.ENOTDIR, fs.Rename("/d/e", "/d/e/f"));
        Assert.Equal(0, fs.Stat("/d/e/../e/./f", out FileStat st));
        Assert.Equal(InodeKind.File, st.Kind);
        Assert.Equal(-Errno.EINVAL, fs.Write(f, Hello, 3, 5));
        Assert.Equal(-Errno.EBADF, fs.Read(f, new byte[4], 0, 4)); // write-only
        int dir = fs.Open("/d", OpenFlags.ReadOnly);
        Assert.Equal(-Errno.EISDIR, fs.Read(dir, new byte[4], 0, 4));
        char[] name = new char[RamFs.NameMax];
        Assert.Equal(1, fs.ReadDir(dir, name, out int ino));
        Assert.Equal('e', name[0]);
        Assert.Equal(0, fs.ReadDir(dir, name, out ino));
        Assert.Equal(-Errno.ENOTDIR, fs.ReadDir(f, name, out ino));
        Assert.Equal(0, fs.Close(f));
        Assert.Equal(0, fs.Unlink("/d/e/f"));
        Assert.Equal(0, fs.Rmdir("/d/e"));
        Assert.Equal(0, fs.Rmdir("/d"));
        Assert.Equal(2, fs.Counters.LiveInodes); // the removed directory lives while open
        Assert.Equal(0, fs.ReadDir(dir, name, out ino));
        Assert.Equal(-Errno.EBUSY, fs.Unmount(new CountingSink()));
        Assert.Equal(0, fs.Close(dir));
        Assert.Equal(1, fs.Counters.LiveInodes);
    }

    [Fact]
    public void SeekTruncateHolesAndLimits()
    {
        var limits = VfsLimits.Default;
        RamFs fs = new(limits);
        int fd = fs.Open("/f", OpenFlags.ReadWrite | OpenFlags.Create);
        Assert.Equal(1000, fs.Seek(fd, 1000, Whence.Set));
        Assert.Equal(5, fs.Write(fd, Hello, 0, 5));
        Assert.Equal(0, fs.Fstat(fd, out FileStat st));
        Assert.Equal(1005, st.Size);
        Assert.Equal(1, st.Blocks); // the hole takes no blocks
        byte[] buf = new byte[2000];
        fs.Seek(fd, 0, Whence.Set);
        Assert.Equal(1005, fs.Read(fd, buf, 0, 2000));
        Assert.All(buf.Take(1000), b => Assert.Equal(0, b));
        Assert.Equal(0, fs.Ftruncate(fd, 1002));
        Assert.Equal(0, fs.Ftruncate(fd, 1500));
        fs.Seek(fd, 1000, Whence.Set);
        Assert.Equal(500, fs.Read(fd, buf, 0, 2000));
        Assert.Equal((byte)'h', buf[0]);
        Assert.Equal((byte)'e', buf[1]);
        Assert.Equal(0, buf[2]); // truncated away, then extended: zeros
        Assert.Equal(1500 + 3, fs.Seek(fd, 3, Whence.End));
        Assert.Equal(-Errno.EINVAL, fs.Seek(fd, -1, Whence.Set));
        Assert.Equal(-Errno.EINVAL, fs.Seek(fd, 0, 7));
        Assert.Equal(-Errno.EINVAL, fs.Ftruncate(fd, -1));
        Assert.Equal(-Errno.EFBIG, fs.Truncate("/f", limits.MaxFileSize + 1));
        fs.Seek(fd, limits.MaxFileSize, Whence.Set);
        Assert.Equal(-Errno.EFBIG, fs.Write(fd, Hello, 0, 5));
        fs.Seek(fd, limits.MaxFileSize - 2, Whence.Set);
        Assert.Equal(2, fs.Write(fd, Hello, 0, 5));
        Assert.Equal(0, fs.Truncate("/f", 0));
        Assert.Equal(0, fs.Counters.LiveBlocks);
        int ro = fs.Open("/f", OpenFlags.ReadOnly);
        Assert.Equal(-Errno.EBADF, fs.Write(ro, Hello, 0, 1));
        Assert.Equal(-Errno.EINVAL, fs.Ftruncate(ro, 0));
        int ap = fs.Open("/f", OpenFlags.WriteOnly | OpenFlags.Append);
        fs.Seek(fd, 0, Whence.Set);
        Assert.Equal(5, fs.Write(fd, Hello, 0, 5));
        Assert.Equal(3, fs.Write(ap, Hello, 0, 3)); // at the end, whatever the descriptor's offset
        Assert.Equal(0, fs.Stat("/f", out st));
        Assert.Equal(8, st.Size);
    }

    [Fact]
    public void PoolsRunOutWithErrorsAndShortWrites()
    {
        var limits = new VfsLimits { MaxInodes = 4, MaxBlocks = 3, BlockSize = 16, MaxBlocksPerFile = 8, MaxEntries = 8, MaxOpenFiles = 2 };
        RamFs fs = new(limits);
        int a = fs.Create("/a");
        int b = fs.Create("/b");
        Assert.Equal(-Errno.EMFILE, fs.Create("/c"));
        fs.Close(b);
        Assert.Equal(0, fs.Mkdir("/c"));
        Assert.Equal(-Errno.ENOSPC, fs.Mkdir("/e")); // 4 inodes: root, a, b, c
        byte[] data = new byte[100];
        Assert.Equal(48, fs.Write(a, data, 0, 100)); // 3 blocks of 16, then short
        Assert.Equal(-Errno.ENOSPC, fs.Write(a, data, 0, 10));
        Assert.Equal(0, fs.Unlink("/b"));
        Assert.Equal(0, fs.Close(a));
        Assert.Equal(0, fs.Unlink("/a"));
        Assert.Equal(0, fs.Counters.LiveBlocks);
        Assert.Equal(2, fs.Counters.LiveInodes);
    }

    /// <summary>The in-kernel test vfs.long_run_bounded, the same operation sequence, on the host.</summary>
    [Fact]
    public void KernelLongRunSequenceEndsWithOnlyTheRoot()
    {
        string[] paths = { "/a", "/b", "/d", "/d/a", "/d/b", "/d/e", "/d/e/a", "/c" };
        RamFs fs = NewFs();
        byte[] buf = new byte[700];
        char[] name = new char[RamFs.NameMax];
        int[] fds = { -1, -1, -1, -1, -1, -1, -1, -1 };
        uint seed = 2024;
        for (int step = 0; step < 20000; step++)
        {
            seed = unchecked(seed * 1103515245 + 12345);
            uint x = seed >> 8;
            string p = paths[x % (uint)paths.Length];
            string q = paths[(x >> 4) % (uint)paths.Length];
            int slot = (int)((x >> 8) % (uint)fds.Length);
            int fd = fds[slot];
            switch ((x >> 12) % 11)
            {
                case 0:
                    int r = fs.Open(p, OpenFlags.ReadWrite | OpenFlags.Create | (int)((x >> 16) & 1) * OpenFlags.Append);
                    if (r >= 0)
                    {
                        if (fd >= 0)
                        {
                            fs.Close(fd);
                        }
                        fds[slot] = r;
                    }
                    break;
                case 1: fs.Write(fd, buf, 0, (int)((x >> 16) % 600)); break;
                case 2: fs.Read(fd, buf, 0, (int)((x >> 16) % 700)); break;
                case 3: fs.Seek(fd, (x >> 16) % 3000, Whence.Set); break;
                case 4: fs.Ftruncate(fd, (x >> 16) % 5000); break;
                case 5: fs.Unlink(p); break;
                case 6: fs.Rename(p, q); break;
                case 7: fs.Mkdir(p); break;
                case 8: fs.Rmdir(p); break;
                case 9: fs.Close(fd); fds[slot] = -1; break;
                default: fs.ReadDir(fd, name, out _); break;
            }
        }
        foreach (int fd in fds)
        {
            if (fd >= 0)
            {
                fs.Close(fd);
            }
        }
        Assert.Equal(0, fs.Counters.OpenFiles);
        Assert.True(fs.Counters.InodesAllocated > 100);
        Assert.Equal(0, fs.Unmount(new CountingSink())); // renames nest directories out of the path list's reach
        VfsCounters c = fs.Counters;
        Assert.Equal((0, 0, 0), (c.LiveInodes, c.LiveBlocks, c.LiveEntries));
        Assert.Equal(c.InodesAllocated, c.InodesFreed);
        Assert.Equal(c.BlocksAllocated, c.BlocksFreed);
    }

    // ---- model-based randomized test ---------------------------------------------------------------

    private sealed class MNode
    {
        public bool Dir;
        public List<byte> Data = new();
        public HashSet<int> Blocks = new();
        public List<(string Name, MNode Node)> Entries = new(); // RamFs order: newest first
        public MNode? Parent;
        public int Links;
        public int Opens;
    }

    private sealed class MFile
    {
        public MNode Node = null!;
        public long Offset;
        public int Flags;
    }

    /// <summary>A plain model of the file system (lists, dictionaries, no pools), following the spec the
    /// RamFs documents, including the order in which errors are checked.</summary>
    private sealed class Model
    {
        private readonly VfsLimits _l;
        public readonly MNode Root = new() { Dir = true, Links = 1 };
        public readonly MFile?[] Files;
        public readonly HashSet<MNode> Live = new();

        public Model(VfsLimits l)
        {
            _l = l;
            Files = new MFile?[l.MaxOpenFiles];
            Root.Parent = Root;
            Live.Add(Root);
        }

        public int LiveBlocks => Live.Sum(n => n.Blocks.Count);

        public int LiveEntries => Live.Where(n => n.Dir).Sum(n => n.Entries.Count);

        private int Resolve(string path, out MNode dir, out string name)
        {
            dir = Root;
            name = "";
            string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < parts.Length - 1; i++)
            {
                MNode? next = Find(dir, parts[i]);
                if (next == null)
                {
                    return -Errno.ENOENT;
                }
                if (!next.Dir)
                {
                    return -Errno.ENOTDIR;
                }
                dir = next;
            }
            name = parts[^1];
            return 0;
        }

        private static MNode? Find(MNode dir, string name) => dir.Entries.FirstOrDefault(e => e.Name == name).Node;

        private void Drop(MNode n)
        {
            if (n.Links == 0 && n.Opens == 0)
            {
                Live.Remove(n);
            }
        }

        private int Create(MNode dir, string name, bool isDir, out MNode node)
        {
            node = null!;
            if (LiveEntries == _l.MaxEntries || Live.Count == _l.MaxInodes)
            {
                return -Errno.ENOSPC;
            }
            node = new MNode { Dir = isDir, Links = 1, Parent = isDir ? dir : null };
            dir.Entries.Insert(0, (name, node));
            Live.Add(node);
            return 0;
        }

        private void SetSize(MNode n, long length)
        {
            int bs = _l.BlockSize;
            if (length < n.Data.Count)
            {
                long keep = (length + bs - 1) / bs;
                n.Blocks.RemoveWhere(b => b >= keep);
                n.Data.RemoveRange((int)length, n.Data.Count - (int)length);
            }
            while (n.Data.Count < length)
            {
                n.Data.Add(0);
            }
        }

        public int Open(string path, int flags)
        {
            int access = flags & OpenFlags.AccessMask;
            int fd = Array.FindIndex(Files, f => f == null);
            if (fd < 0)
            {
                return -Errno.EMFILE;
            }
            int r = Resolve(path, out MNode dir, out string name);
            if (r < 0)
            {
                return r;
            }
            MNode? n = Find(dir, name);
            if (n != null)
            {
                if ((flags & OpenFlags.Create) != 0 && (flags & OpenFlags.Exclusive) != 0)
                {
                    return -Errno.EEXIST;
                }
                if (n.Dir && (access != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0))
                {
                    return -Errno.EISDIR;
                }
            }
            else
            {
                if ((flags & OpenFlags.Create) == 0)
                {
                    return -Errno.ENOENT;
                }
                r = Create(dir, name, false, out n);
                if (r < 0)
                {
                    return r;
                }
            }
            if (!n.Dir && (flags & OpenFlags.Truncate) != 0 && access != OpenFlags.ReadOnly)
            {
                SetSize(n, 0);
            }
            Files[fd] = new MFile { Node = n, Flags = flags };
            n.Opens++;
            return fd;
        }

        private MFile? Get(int fd) => fd >= 0 && fd < Files.Length ? Files[fd] : null;

        public int Close(int fd)
        {
            MFile? f = Get(fd);
            if (f == null)
            {
                return -Errno.EBADF;
            }
            Files[fd] = null;
            f.Node.Opens--;
            Drop(f.Node);
            return 0;
        }

        public int Read(int fd, int count, out byte[] data)
        {
            data = Array.Empty<byte>();
            MFile? f = Get(fd);
            if (f == null || (f.Flags & OpenFlags.AccessMask) == OpenFlags.WriteOnly)
            {
                return -Errno.EBADF;
            }
            if (f.Node.Dir)
            {
                return -Errno.EISDIR;
            }
            long size = f.Node.Data.Count;
            if (f.Offset >= size)
            {
                return 0;
            }
            int n = (int)Math.Min(count, size - f.Offset);
            data = f.Node.Data.Skip((int)f.Offset).Take(n).ToArray();
            f.Offset += n;
            return n;
        }

        public int Write(int fd, byte[] buf, int count)
        {
            MFile? f = Get(fd);
            if (f == null || (f.Flags & OpenFlags.AccessMask) == OpenFlags.ReadOnly)
            {
                return -Errno.EBADF;
            }
            MNode node = f.Node;
            long pos = (f.Flags & OpenFlags.Append) != 0 ? node.Data.Count : f.Offset;
            if (count == 0)
            {
                return 0;
            }
            if (pos >= _l.MaxFileSize)
            {
                return -Errno.EFBIG;
            }
            int n = (int)Math.Min(count, _l.MaxFileSize - pos);
            int bs = _l.BlockSize;
            int done = 0;
            while (done < n)
            {
                long at = pos + done;
                int index = (int)(at / bs);
                int chunk = Math.Min(bs - (int)(at % bs), n - done);
                if (!node.Blocks.Contains(index))
                {
                    if (LiveBlocks == _l.MaxBlocks)
                    {
                        break;
                    }
                    node.Blocks.Add(index);
                }
                done += chunk;
            }
            if (done == 0)
            {
                return -Errno.ENOSPC;
            }
            while (node.Data.Count < pos + done)
            {
                node.Data.Add(0);
            }
            for (int i = 0; i < done; i++)
            {
                node.Data[(int)pos + i] = buf[i];
            }
            f.Offset = pos + done;
            return done;
        }

        public long Seek(int fd, long offset, int whence)
        {
            MFile? f = Get(fd);
            if (f == null)
            {
                return -Errno.EBADF;
            }
            long origin = whence switch { Whence.Set => 0, Whence.Current => f.Offset, Whence.End => f.Node.Data.Count, _ => -1 };
            if (origin < 0 || origin + offset < 0)
            {
                return -Errno.EINVAL;
            }
            f.Offset = origin + offset;
            return f.Offset;
        }

        public int Ftruncate(int fd, long length)
        {
            MFile? f = Get(fd);
            if (f == null)
            {
                return -Errno.EBADF;
            }
            if ((f.Flags & OpenFlags.AccessMask) == OpenFlags.ReadOnly || f.Node.Dir || length < 0)
            {
                return -Errno.EINVAL;
            }
            if (length > _l.MaxFileSize)
            {
                return -Errno.EFBIG;
            }
            SetSize(f.Node, length);
            return 0;
        }

        public int Unlink(string path)
        {
            int r = Resolve(path, out MNode dir, out string name);
            if (r < 0)
            {
                return r;
            }
            MNode? n = Find(dir, name);
            if (n == null)
            {
                return -Errno.ENOENT;
            }
            if (n.Dir)
            {
                return -Errno.EISDIR;
            }
            dir.Entries.RemoveAll(e => e.Name == name);
            n.Links--;
            Drop(n);
            return 0;
        }

        public int Mkdir(string path)
        {
            int r = Resolve(path, out MNode dir, out string name);
            if (r < 0)
            {
                return r;
            }
            if (Find(dir, name) != null)
            {
                return -Errno.EEXIST;
            }
            return Create(dir, name, true, out _);
        }

        public int Rmdir(string path)
        {
            int r = Resolve(path, out MNode dir, out string name);
            if (r < 0)
            {
                return r;
            }
            MNode? n = Find(dir, name);
            if (n == null)
            {
                return -Errno.ENOENT;
            }
            if (!n.Dir)
            {
                return -Errno.ENOTDIR;
            }
            if (n.Entries.Count != 0)
            {
                return -Errno.ENOTEMPTY;
            }
            dir.Entries.RemoveAll(e => e.Name == name);
            n.Links = 0;
            Drop(n);
            return 0;
        }

        public int Rename(string from, string to)
        {
            int r = Resolve(from, out MNode fromDir, out string fromName);
            if (r < 0)
            {
                return r;
            }
            r = Resolve(to, out MNode toDir, out string toName);
            if (r < 0)
            {
                return r;
            }
            MNode? n = Find(fromDir, fromName);
            if (n == null)
            {
                return -Errno.ENOENT;
            }
            MNode? old = Find(toDir, toName);
            if (old == n)
            {
                return 0;
            }
            if (old != null)
            {
                if (n.Dir && !old.Dir)
                {
                    return -Errno.ENOTDIR;
                }
                if (!n.Dir && old.Dir)
                {
                    return -Errno.EISDIR;
                }
                if (old.Dir && old.Entries.Count != 0)
                {
                    return -Errno.ENOTEMPTY;
                }
            }
            if (n.Dir)
            {
                for (MNode d = toDir; ; d = d.Parent!)
                {
                    if (d == n)
                    {
                        return -Errno.EINVAL;
                    }
                    if (d == Root)
                    {
                        break;
                    }
                }
            }
            if (old != null)
            {
                int at = toDir.Entries.FindIndex(e => e.Name == toName);
                toDir.Entries[at] = (toName, n);
                fromDir.Entries.RemoveAll(e => e.Name == fromName && e.Node == n);
                old.Links = old.Dir ? 0 : old.Links - 1;
                Drop(old);
            }
            else
            {
                fromDir.Entries.RemoveAll(e => e.Name == fromName);
                toDir.Entries.Insert(0, (toName, n));
            }
            if (n.Dir)
            {
                n.Parent = toDir;
            }
            return 0;
        }

        public int ReadDir(int fd, out string name)
        {
            name = "";
            MFile? f = Get(fd);
            if (f == null)
            {
                return -Errno.EBADF;
            }
            if (!f.Node.Dir)
            {
                return -Errno.ENOTDIR;
            }
            if (f.Offset >= f.Node.Entries.Count)
            {
                return 0;
            }
            name = f.Node.Entries[(int)f.Offset].Name;
            f.Offset++;
            return name.Length;
        }
    }

    private static readonly string[] Paths = { "/a", "/b", "/c", "/d", "/d/a", "/d/b", "/d/e", "/d/e/a", "/e", "/e/d" };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomOperationsMatchTheModelAndNothingLeaks(int seed)
    {
        // small pools, so that running out (ENOSPC, EMFILE, short writes) is part of the run
        var limits = new VfsLimits { MaxInodes = 10, MaxBlocks = 12, BlockSize = 32, MaxBlocksPerFile = 6, MaxEntries = 9, MaxOpenFiles = 5 };
        RamFs fs = new(limits);
        Model m = new(limits);
        var rng = new Random(seed);
        byte[] buf = new byte[300];
        char[] name = new char[RamFs.NameMax];
        var fds = new List<int>();
        int[] flagsChoice = { OpenFlags.ReadWrite | OpenFlags.Create, OpenFlags.ReadOnly, OpenFlags.WriteOnly | OpenFlags.Append | OpenFlags.Create,
            OpenFlags.ReadWrite | OpenFlags.Truncate, OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive };
        for (int step = 0; step < 30000; step++)
        {
            string p = Paths[rng.Next(Paths.Length)];
            string q = Paths[rng.Next(Paths.Length)];
            int fd = rng.Next(8) == 0 ? rng.Next(-2, limits.MaxOpenFiles + 2) : (fds.Count == 0 ? 0 : fds[rng.Next(fds.Count)]);
            int op = rng.Next(12);
            string what = $"step {step} op {op} p={p} q={q} fd={fd}";
            switch (op)
            {
                case 0:
                case 1:
                {
                    int flags = flagsChoice[rng.Next(flagsChoice.Length)];
                    int r = fs.Open(p, flags);
                    Assert.True(m.Open(p, flags) == r, what + $" open {flags}: fs {r}");
                    if (r >= 0)
                    {
                        fds.Add(r);
                    }
                    break;
                }
                case 2:
                {
                    int n = rng.Next(0, 200);
                    rng.NextBytes(buf);
                    Assert.True(m.Write(fd, buf, n) == fs.Write(fd, buf, 0, n), what + " write");
                    break;
                }
                case 3:
                {
                    int n = rng.Next(0, 300);
                    int r = fs.Read(fd, buf, 0, n);
                    Assert.True(m.Read(fd, n, out byte[] expect) == r, what + " read " + r);
                    if (r > 0)
                    {
                        Assert.Equal(expect, buf.Take(r).ToArray());
                    }
                    break;
                }
                case 4:
                {
                    long off = rng.Next(-10, 260);
                    int whence = rng.Next(4);
                    Assert.True(m.Seek(fd, off, whence) == fs.Seek(fd, off, whence), what + " seek");
                    break;
                }
                case 5:
                {
                    long len = rng.Next(-1, 230);
                    Assert.True(m.Ftruncate(fd, len) == fs.Ftruncate(fd, len), what + " ftruncate");
                    break;
                }
                case 6:
                    Assert.True(m.Unlink(p) == fs.Unlink(p), what + " unlink");
                    break;
                case 7:
                    Assert.True(m.Rename(p, q) == fs.Rename(p, q), what + " rename");
                    break;
                case 8:
                    Assert.True(m.Mkdir(p) == fs.Mkdir(p), what + " mkdir");
                    break;
                case 9:
                    Assert.True(m.Rmdir(p) == fs.Rmdir(p), what + " rmdir");
                    break;
                case 10:
                {
                    int r = fs.Close(fd);
                    Assert.True(m.Close(fd) == r, what + " close");
                    fds.Remove(fd);
                    break;
                }
                default:
                {
                    int r = fs.ReadDir(fd, name, out _);
                    Assert.True(m.ReadDir(fd, out string expect) == r, what + " readdir");
                    if (r > 0)
                    {
                        Assert.Equal(expect, new string(name, 0, r));
                    }
                    break;
                }
            }
            VfsCounters c = fs.Counters;
            Assert.True(m.Live.Count == c.LiveInodes, what + $" live inodes {c.LiveInodes} vs model {m.Live.Count}");
            Assert.True(m.LiveBlocks == c.LiveBlocks, what + $" live blocks {c.LiveBlocks} vs model {m.LiveBlocks}");
            Assert.Equal(m.LiveEntries, c.LiveEntries);
            Assert.Equal(m.Files.Count(f => f != null), c.OpenFiles);
            Assert.Equal(c.InodesAllocated - c.InodesFreed, c.LiveInodes);
            Assert.Equal(c.BlocksAllocated - c.BlocksFreed, c.LiveBlocks);
        }
        foreach (int fd in fds.Distinct())
        {
            Assert.Equal(m.Close(fd), fs.Close(fd));
        }
        var sink = new CountingSink();
        Assert.Equal(0, fs.Unmount(sink));
        VfsCounters end = fs.Counters;
        Assert.Equal(0, end.LiveInodes);
        Assert.Equal(0, end.LiveBlocks);
        Assert.Equal(0, end.LiveEntries);
        Assert.Equal(end.InodesAllocated, end.InodesFreed);
        Assert.True(end.InodesAllocated > 50, "the run created and freed files");
    }
}
