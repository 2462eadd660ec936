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
/// Time is simulated in milliseconds. A step delivers every frame due, runs both stacks' timers and then
/// <see cref="OnStep"/> (the applications). While frames are in flight a step is one millisecond; when none are,
/// nothing can happen before the stacks' next timer (<see cref="NetStack.NextDeadline"/>), so the clock jumps
/// there (bounded by the caller's deadline) instead of stepping through idle milliseconds one by one.</summary>
public sealed class SimLink
{
    private readonly Random _rng;
    private readonly PriorityQueue<InFlight, (long Due, long Order)> _inFlight = new();
    private readonly Stack<byte[]> _free = new();
    private long _order;

    private readonly record struct InFlight(int To, byte[] Frame, int Length);

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

    /// <summary>Steps taken (each runs the timers and <see cref="OnStep"/> once).</summary>
    public long Steps { get; private set; }

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

    // a draw only for an impairment that is on, so a clean link costs no random numbers
    private bool Chance(double p) => p > 0 && _rng.NextDouble() < p;

    private void Enqueue(int to, byte[] frame, int length)
    {
        if (Chance(Profile.Loss))
        {
            FramesLost++;
            return;
        }
        int copies = Chance(Profile.Duplicate) ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            long delay = Profile.DelayMs + (Profile.JitterMs > 0 ? _rng.Next(Profile.JitterMs + 1) : 0);
            if (Chance(Profile.Reorder))
            {
                delay += 1 + _rng.Next(5);
            }
            byte[] copy = _free.Count > 0 ? _free.Pop() : new byte[NetStack.MaxFrame];
            if (copy.Length < length)
            {
                copy = new byte[length];
            }
            Buffer.BlockCopy(frame, 0, copy, 0, length);
            _inFlight.Enqueue(new InFlight(to, copy, length), (Now + delay, _order++));
        }
    }

    /// <summary>One millisecond.</summary>
    public void Step() => StepUntil(Now + 1);

    /// <summary>Advances to the next event no later than <paramref name="limit"/> (at least one millisecond):
    /// the next millisecond while frames are in flight, else the stacks' next timer or the limit.</summary>
    private void StepUntil(long limit)
    {
        long next = Now + 1;
        if (_inFlight.Count == 0)
        {
            long a = A.NextDeadline(), b = B.NextDeadline();
            long timer = a == 0 ? b : b == 0 ? a : Math.Min(a, b);
            long target = timer == 0 ? limit : Math.Min(timer, limit);
            next = Math.Max(next, target);
        }
        Now = next;
        Steps++;
        while (_inFlight.TryPeek(out InFlight f, out var key) && key.Due <= Now)
        {
            _inFlight.Dequeue();
            FramesCarried++;
            (f.To == 0 ? A : B).Input(f.Frame, f.Length, Now);
            _free.Push(f.Frame);
        }
        A.Poll(Now);
        B.Poll(Now);
        OnStep?.Invoke();
    }

    public void Run(long ms)
    {
        long end = Now + ms;
        while (Now < end)
        {
            StepUntil(end);
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
            StepUntil(end);
        }
        return done();
    }

    /// <summary>A waiter for NetIo's blocking helpers: each wait is <paramref name="stepsPerWait"/> steps, none past
    /// the timeout.</summary>
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
            for (int i = 0; i < _steps && _link.Now < _deadline; i++)
            {
                _link.StepUntil(_deadline);
            }
            return _link.Now < _deadline;
        }
    }
}
