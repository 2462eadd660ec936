using System;
using System.Collections.Generic;
using Kernel.Services;
using Kernel.Services.Toa;
using Xunit;

namespace Kernel.Tests;

public sealed class ToaTests
{
    private static readonly Ipv6Endpoint Client = new(0x20010db8_00000000UL, 0x0000_0000_0000_0042UL, 40000);

    [Fact]
    public void ParsesV6AndV4OptionsAfterNops()
    {
        byte[] opts = new byte[32];
        opts[0] = 1;
        opts[1] = 1;
        Assert.Equal(20, ToaOption.WriteV6(opts, 2, Client));
        Assert.True(ToaOption.TryParse(opts, 0, 22, out Ipv6Endpoint e));
        Assert.True(e.SameAs(Client));
        byte[] v4 = { 2, 4, 0x05, 0xb4, 254, 8, 0x1f, 0x90, 192, 168, 1, 7 }; // MSS, then TOA v4
        Assert.True(ToaOption.TryParse(v4, 0, v4.Length, out e));
        Assert.True(e.SameAs(Ipv6Endpoint.MappedV4(0xC0A80107, 8080)));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 254, 8, 0, 80, 1, 2, 3, 4 })]      // end of options first
    [InlineData(new byte[] { 254, 9, 0, 80, 1, 2, 3, 4, 5 })]      // wrong length
    [InlineData(new byte[] { 254, 20, 0, 80, 1, 2, 3, 4 })]        // runs past the header
    [InlineData(new byte[] { 2, 1, 254, 8, 0, 80, 1, 2, 3, 4 })]   // option length below 2
    [InlineData(new byte[] { 1, 1, 1, 2 })]                        // a kind without its length byte
    public void RejectsMissingOrMalformedOptions(byte[] options) =>
        Assert.False(ToaOption.TryParse(options, 0, options.Length, out _));

    [Fact]
    public void RejectsBadRanges()
    {
        byte[] b = new byte[4];
        Assert.False(ToaOption.TryParse(b, -1, 2, out _));
        Assert.False(ToaOption.TryParse(b, 2, 3, out _));
    }

    private static ToaTable NewTable(int buckets, int capacity) =>
        new(new int[buckets], new int[capacity], new ulong[capacity], new ulong[capacity], new ulong[capacity], new int[capacity]);

    [Fact]
    public void TableRecordsReplacesRemovesAndFills()
    {
        ToaTable t = NewTable(4, 3);
        Assert.Equal(0, t.Record(10, Client));
        Assert.Equal(0, t.Record(10, Ipv6Endpoint.MappedV4(1, 2))); // replaced
        Assert.Equal(1, t.Count);
        Assert.True(t.TryGet(10, out Ipv6Endpoint e));
        Assert.True(e.SameAs(Ipv6Endpoint.MappedV4(1, 2)));
        Assert.Equal(-Errno.EINVAL, t.Record(0, Client));
        Assert.Equal(0, t.Record(11, Client));
        Assert.Equal(0, t.Record(12, Client));
        Assert.Equal(-Errno.ENOSPC, t.Record(13, Client));
        Assert.True(t.Remove(11));
        Assert.False(t.Remove(11));
        Assert.Equal(0, t.Record(13, Client));
        Assert.False(t.TryGet(11, out _));
        t.Clear();
        Assert.Equal(0, t.Count);
        Assert.False(t.TryGet(10, out _));
    }

    [Fact]
    public void TableMatchesADictionaryUnderRandomOperations()
    {
        var rng = new Random(7);
        ToaTable t = NewTable(8, 32);
        var model = new Dictionary<ulong, Ipv6Endpoint>();
        for (int i = 0; i < 20000; i++)
        {
            ulong socket = (ulong)rng.Next(1, 60);
            switch (rng.Next(3))
            {
                case 0:
                    var ep = new Ipv6Endpoint((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ushort)rng.Next(65536));
                    int r = t.Record(socket, ep);
                    if (model.ContainsKey(socket) || model.Count < 32)
                    {
                        Assert.Equal(0, r);
                        model[socket] = ep;
                    }
                    else
                    {
                        Assert.Equal(-Errno.ENOSPC, r);
                    }
                    break;
                case 1:
                    Assert.Equal(model.Remove(socket), t.Remove(socket));
                    break;
                default:
                    Assert.Equal(model.TryGetValue(socket, out Ipv6Endpoint want), t.TryGet(socket, out Ipv6Endpoint got));
                    Assert.True(!model.ContainsKey(socket) || got.SameAs(want));
                    break;
            }
            Assert.Equal(model.Count, t.Count);
        }
        var sink = new CountingSink();
        t.ReturnStorage(sink);
        Assert.Equal(6, sink.Freed.Count);
    }
}
