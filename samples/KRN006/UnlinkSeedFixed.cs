namespace Samples.KRN006;

/// <summary>
/// Seed 002 fixed as Nanos fixed it: unlink removes the name, and the metadata lives until the last close, which
/// frees it (and forgets the pointer). Create, unlink, close behaves as on Linux.
/// </summary>
public static class VirtFsFixed
{
    public static OpenFile Create(string path) => new OpenFile { Path = path, Md = MetadataPool.Allocate(), Fd = 3 };

    public static void Unlink(OpenFile file)
    {
        Directory.Remove(file.Path);
        file.Unlinked = true;
    }

    public static int Close(OpenFile file)
    {
        if (MetadataPool.IsBusy(file.Md))
        {
            return -16;
        }

        file.Fd = -1;
        if (file.Unlinked)
        {
            MetadataPool.Free(file.Md);
            file.Md = null;
        }

        return 0;
    }

    public static int CreateUnlinkClose()
    {
        var file = Create("/tmp/.tmp123456");
        Unlink(file);
        return Close(file);
    }
}
