namespace Samples.KRN006;

/// <summary>
/// Seed 002 as it was (Nanos with a VirtFS mount): a program creates a file, unlinks it while it is still open and then
/// closes it, a pattern Linux allows. Unlink freed the file's metadata at once; close then asked whether the file was
/// watched (fs_file_is_busy) through the freed metadata and the kernel died with "cannot get from unknown value".
/// </summary>
public static class VirtFs
{
    /// <summary>The file the last create opened: a long-lived object that still points to the metadata.</summary>
    private static OpenFile current;

    public static OpenFile Create(string path) => new OpenFile { Path = path, Md = MetadataPool.Allocate(), Fd = 3 };

    /// <summary>Removes the name and frees the metadata, although the file is still open.</summary>
    public static void Unlink(OpenFile file)
    {
        Directory.Remove(file.Path);
        MetadataPool.Free(file.Md);
    }

    /// <summary>Closing reads the metadata: is the file watched?</summary>
    public static int Close(OpenFile file)
    {
        if (MetadataPool.IsBusy(file.Md))
        {
            return -16;
        }

        file.Fd = -1;
        return 0;
    }

    /// <summary>The seed's program: open(O_CREAT), unlink, close.</summary>
    public static int CreateUnlinkClose()
    {
        var file = Create("/tmp/.tmp123456");
        Unlink(file);
        return Close(file); // expect: KRN006
    }

    /// <summary>The same through the long-lived current-file slot, as the 9P layer kept its fid.</summary>
    public static void UnlinkCurrent() => MetadataPool.Free(current.Md);

    public static bool CurrentIsBusy() => MetadataPool.IsBusy(current.Md);

    public static bool CreateUnlinkPoll()
    {
        current = Create("/tmp/.tmp654321");
        UnlinkCurrent();
        return CurrentIsBusy(); // expect: KRN006
    }
}

public sealed class FileMetadata
{
    public int WatchCount;
    public long Size;
}

public sealed class OpenFile
{
    public string Path;
    public FileMetadata Md;
    public int Fd;
    public bool Unlinked;
}

public static class Directory
{
    public static void Remove(string path)
    {
    }
}

/// <summary>Metadata objects come from a pool; Free returns one for reuse.</summary>
public static class MetadataPool
{
    public static FileMetadata Allocate() => new FileMetadata();

    public static void Free(FileMetadata md) => md.WatchCount = -1;

    public static bool IsBusy(FileMetadata md) => md.WatchCount > 0;
}
