using System;
using System.Collections.Generic;
using Kernel.Services.Net;

namespace Kernel.Tests.Net;

/// <summary>Link impairments, all drawn from one seeded generator.</summary>
public sealed record LinkProfile(double Loss = 0, double Duplicate = 0, double Reorder = 0, int DelayMs = 1, int JitterMs = 0)
{
    public static readonly LinkProfile Clean = new();
    public static readonly LinkProfile Lossy = new(Loss: 0.02, Duplicate: 0.01, Reorder: 0.05, DelayMs: 2, JitterMs: 3);
}

/// <summary>Two stacks joined by an in-memory Ethernet with seeded loss, duplication, reordering and delay.
/// Time is simulated: one <see cref="Step"/> is one millisecond.</summary>
public sealed class SimLink
{
    private readonly Random _rng;
    private readonly List<(long Due, long Order, int To, byte[] Frame)> _inFlight = new();
    private long _order;

    public SimLink(int seed, LinkProfile profile, Action<NetConfig>? configureA = null, Action<NetConfig>? configureB = null)
    {
        _rng = new Random(seed);
        Profile = profile;
        var ca = new NetConfig { Mac = 0x02_00_00_00_00_01, Ip = Wire.Ip(10, 0, 0, 1), IssSeed = (uint)seed * 7919u };
        var cb = new NetConfig { Mac = 0x02_00_00_00_00_02, Ip = Wire.Ip(10, 0, 0, 2), IssSeed = (uint)seed * 104729u + 5 };
        configureA?.Invoke(ca);
        configureB?.Invoke(cb);
        A = new NetStack(ca, new Port(this, 1));
        B = new NetStack(cb, new Port(this, 0));
        SocketsA = new Sockets(A, 32);
        SocketsB = new Sockets(B, 32);
    }

    public LinkProfile Profile { get; set; }

    public NetStack A { get; }

    public NetStack B { get; }

    public Sockets SocketsA { get; }

    public Sockets SocketsB { get; }

    public long Now { get; private set; }

    public long FramesCarried { get; private set; }

    public long FramesLost { get; private set; }

    /// <summary>Runs on every step after delivery (the "other application" in single-threaded tests).</summary>
    public Action? OnStep { get; set; }

    private sealed class Port : INetDevice
    {
        private readonly SimLink _link;
        private readonly int _to;

        public Port(SimLink link, int to)
        {
            _link = link;
            _to = to;
        }

        public bool Transmit(byte[] frame, int length)
        {
            _link.Enqueue(_to, frame, length);
            return true;
        }
    }

    private void Enqueue(int to, byte[] frame, int length)
    {
        if (_rng.NextDouble() < Profile.Loss)
        {
            FramesLost++;
            return;
        }
        int copies = _rng.NextDouble() < Profile.Duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            long delay = Profile.DelayMs + (Profile.JitterMs > 0 ? _rng.Next(Profile.JitterMs + 1) : 0);
            if (_rng.NextDouble() < Profile.Reorder)
            {
                delay += 1 + _rng.Next(5);
            }
            _inFlight.Add((Now + delay, _order++, to, frame.AsSpan(0, length).ToArray()));
        }
    }

    public void Step()
    {
        Now++;
        while (true)
        {
            int best = -1;
            for (int i = 0; i < _inFlight.Count; i++)
            {
                var f = _inFlight[i];
                if (f.Due <= Now && (best < 0 || f.Due < _inFlight[best].Due || f.Due == _inFlight[best].Due && f.Order < _inFlight[best].Order))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            var frame = _inFlight[best];
            _inFlight.RemoveAt(best);
            FramesCarried++;
            (frame.To == 0 ? A : B).Input(frame.Frame, frame.Frame.Length, Now);
        }
        A.Poll(Now);
        B.Poll(Now);
        OnStep?.Invoke();
    }

    public void Run(long ms)
    {
        for (long i = 0; i < ms; i++)
        {
            Step();
        }
    }

    public bool RunUntil(Func<bool> done, long maxMs)
    {
        long end = Now + maxMs;
        while (Now < end)
        {
            if (done())
            {
                return true;
            }
            Step();
        }
        return done();
    }

    /// <summary>A waiter for NetIo's blocking helpers: each wait is <paramref name="stepsPerWait"/> steps.</summary>
    public INetWait Waiter(long timeoutMs, int stepsPerWait = 1) => new SimWait(this, Now + timeoutMs, stepsPerWait);

    private sealed class SimWait : INetWait
    {
        private readonly SimLink _link;
        private readonly long _deadline;
        private readonly int _steps;

        public SimWait(SimLink link, long deadline, int steps)
        {
            _link = link;
            _deadline = deadline;
            _steps = steps;
        }

        public long Now => _link.Now;

        public bool Wait()
        {
            for (int i = 0; i < _steps; i++)
            {
                _link.Step();
            }
            return _link.Now < _deadline;
        }
    }
}
