using System;
using System.Runtime.InteropServices;

namespace Samples.KRN002;

/// <summary>Marks a type (or a field) that must be initialized before use. KRN002 matches it by simple name.</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class | AttributeTargets.Field)]
public sealed class RequiresInitAttribute : Attribute
{
}

/// <summary>
/// A kernel spin lock as Linux has one: plain memory that <see cref="Init"/> (spin_lock_init) must set up before the
/// first <see cref="Acquire"/>. Taking it before then is undefined: one kernel's debug checks panic and reboot, another
/// happens to work.
/// </summary>
public struct SpinLock
{
    private const uint Magic = 0xdead4ead;
    private int _state;
    private uint _magic;

    public bool IsInitialized => _magic == Magic;

    public bool IsHeld => _state != 0;

    public static void Init(ref SpinLock l)
    {
        l._state = 0;
        l._magic = Magic;
    }

    public void Acquire()
    {
        if (_magic != Magic)
        {
            throw new InvalidOperationException("spin lock taken before spin_lock_init: the kernel reboots here");
        }

        _state = 1;
    }

    public void Release() => _state = 0;
}

/// <summary>One bucket of the IPv6 socket table (an hlist_head).</summary>
public unsafe struct HlistHead
{
    public SockEntry* First;
}

/// <summary>A socket that carries a TOA option: the client's real IPv6 address, hashed by the socket.</summary>
public unsafe struct SockEntry
{
    public SockEntry* Next;
    public void* Sk;
    public ushort Port;
}

/// <summary>The kernel allocator, as the module sees it.</summary>
public static unsafe class Kmem
{
    public static void* Kmalloc(nuint size) => NativeMemory.AllocZeroed(size);

    public static void Kfree(void* p) => NativeMemory.Free(p);
}
