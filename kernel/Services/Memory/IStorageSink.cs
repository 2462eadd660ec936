namespace Kernel.Services.Memory
{
    /// <summary>Where a service hands back the storage it allocated (arrays, objects) when it is torn down.
    /// There is no GC in the kernel: the kernel's sink frees each object on the kernel heap; the host's sink
    /// only counts (the BCL's GC collects). A service never touches an object after handing it here.</summary>
    public interface IStorageSink
    {
        void Free(object storage);
    }
}
