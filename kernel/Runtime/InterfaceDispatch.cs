// Interface calls that ilc could not devirtualize go through a dispatch cell to
// RhpInitialDynamicInterfaceDispatch (boot/cpu.asm), which asks this resolver for the target on every call
// (no cache: simple and enough for a kernel). Layout knowledge (ilc 10, x64, relative pointers):
//   cell: { stub, cache }; a run of cells ends with a cell whose stub is 0 and whose cache holds
//         (cell type << 16) | interface slot; a cell's cache names the interface type: tag 1 = pointer,
//         tag 3 = rel32 from &cache, tag 2 = rel32 to an indirection cell; a small value with tag 0 is a
//         vtable offset.
//   MethodTable: header (24 bytes), vtable, interface map (8-byte pointers), then 4-byte relative pointers:
//         type manager, writable data, dispatch map (flag 0x40000), finalizer (0x100000),
//         sealed virtual slots (0x400000).
//   dispatch map: u16 counts (standard, default, static, default static), then entries
//         { u16 interface index, u16 interface slot, u16 implementation slot }.
using System.Runtime;
using Internal.Runtime;

namespace Internal.Runtime
{
    internal static unsafe class InterfaceDispatch
    {
        private const uint HasDispatchMapFlag = 0x40000;
        private const uint IsFinalizableFlag = 0x100000;
        private const uint HasSealedVTableFlag = 0x400000;
        private const ulong MaxVTableOffsetPlusOne = 0x1000;

        private struct Cell
        {
#pragma warning disable CS0649 // written by the compiler (image data)
            public ulong Stub;
            public ulong Cache;
#pragma warning restore CS0649
        }

        /// <summary>How many calls were resolved (for tests).</summary>
        internal static ulong Resolutions;

        [RuntimeExport("KernelResolveInterfaceCall")]
        private static void* Resolve(byte* thisObject, byte* cellAddress)
        {
            if (thisObject == null)
            {
                Kernel.Core.Panic.Halt("interface call on a null reference");
            }
            Resolutions++;
            MethodTable* type = *(MethodTable**)thisObject;
            Cell* cell = (Cell*)cellAddress;
            ulong cache = cell->Cache;
            if ((cache & 3) == 0 && cache < MaxVTableOffsetPlusOne)
            {
                return *(void**)((byte*)type + cache);
            }
            Cell* terminator = cell;
            while (terminator->Stub != 0)
            {
                terminator++;
            }
            ulong info = terminator->Cache;
            if ((info >> 16) != 0)
            {
                Kernel.Core.Panic.Halt("interface dispatch: unsupported cell type");
            }
            ushort slot = (ushort)info;
            MethodTable* itf;
            switch (cache & 3)
            {
                case 1:
                    itf = (MethodTable*)(cache & ~3UL);
                    break;
                case 3:
                    itf = (MethodTable*)(((ulong)&cell->Cache + (ulong)(long)(int)(uint)cache) & ~3UL);
                    break;
                case 2:
                    itf = *(MethodTable**)(((ulong)&cell->Cache + (ulong)(long)(int)(uint)cache) & ~3UL);
                    break;
                default:
                    Kernel.Core.Panic.Halt("interface dispatch: cell already holds a cache");
                    return null;
            }
            for (MethodTable* t = type; t != null; t = t->RelatedType)
            {
                void* target = FindInType(type, t, itf, slot);
                if (target != null)
                {
                    return target;
                }
            }
            Kernel.Core.Panic.Halt("interface dispatch: no implementation (default interface methods are not supported)");
            return null;
        }

        /// <summary>The implementation of (itf, slot) declared by <paramref name="t"/>, a base of (or equal to)
        /// <paramref name="exact"/>, or null.</summary>
        [Kernel.MayReturnNull]
        private static void* FindInType(MethodTable* exact, MethodTable* t, MethodTable* itf, ushort slot)
        {
            if ((t->Flags & HasDispatchMapFlag) == 0)
            {
                return null;
            }
            MethodTable** map = t->InterfaceMap;
            int index = -1;
            for (int i = 0; i < t->NumInterfaces; i++)
            {
                if (map[i] == itf)
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                return null;
            }
            byte* fields = (byte*)(map + t->NumInterfaces) + 4 + 4; // type manager, writable data
            byte* dispatchMap = ReadRelPtr32(fields);
            ushort standard = *(ushort*)dispatchMap;
            ushort* entries = (ushort*)(dispatchMap + 8);
            for (int e = 0; e < standard; e++)
            {
                ushort* entry = entries + e * 3;
                if (entry[0] == index && entry[1] == slot)
                {
                    ushort impl = entry[2];
                    if (impl < t->NumVtableSlots)
                    {
                        // the most derived type's vtable: overrides win
                        return ((void**)((byte*)exact + 24))[impl];
                    }
                    return SealedSlot(t, fields + 4, (ushort)(impl - t->NumVtableSlots));
                }
            }
            return null;
        }

        private static void* SealedSlot(MethodTable* t, byte* afterDispatchMap, ushort index)
        {
            if ((t->Flags & HasSealedVTableFlag) == 0)
            {
                Kernel.Core.Panic.Halt("interface dispatch: sealed slot without a sealed vtable");
            }
            byte* p = afterDispatchMap;
            if ((t->Flags & IsFinalizableFlag) != 0)
            {
                p += 4;
            }
            byte* table = ReadRelPtr32(p);
            return ReadRelPtr32(table + index * 4);
        }

        private static byte* ReadRelPtr32(byte* address) => address + *(int*)address;
    }
}
