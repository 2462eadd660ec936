namespace Samples.KRN001;

/// <summary>A protocol control block, as lwIP keeps one per TCP connection or listener.</summary>
public unsafe struct TcpPcb
{
    public ushort LocalPort;
    public int State;
    public int RefCount;
}

/// <summary>lwIP error codes (err_t).</summary>
public static class LwipErr
{
    public const sbyte Ok = 0;
    public const sbyte Mem = -1;
    public const sbyte Use = -8;
}

/// <summary>A tiny stand-in for lwIP's TCP layer: listening on a port that is taken fails with null.</summary>
public static unsafe class Lwip
{
    private const int MaxListeners = 8;
    private static readonly ushort[] BoundPorts = new ushort[MaxListeners];
    private static readonly TcpPcb[] Listeners = new TcpPcb[MaxListeners];

    /// <summary>Returns the listening pcb, or null when the port is in use (EADDRINUSE) or memory is short.</summary>
    public static TcpPcb* tcp_listen_with_backlog(TcpPcb* pcb, byte backlog)
    {
        sbyte err;
        return tcp_listen_with_backlog_and_err(pcb, backlog, &err);
    }

    /// <summary>As <see cref="tcp_listen_with_backlog"/>, and says why it failed.</summary>
    public static TcpPcb* tcp_listen_with_backlog_and_err(TcpPcb* pcb, byte backlog, sbyte* err)
    {
        var free = -1;
        for (var i = 0; i < MaxListeners; i++)
        {
            if (BoundPorts[i] == pcb->LocalPort)
            {
                *err = LwipErr.Use;
                return null;
            }

            if (BoundPorts[i] == 0 && free < 0)
            {
                free = i;
            }
        }

        if (free < 0 || backlog == 0)
        {
            *err = LwipErr.Mem;
            return null;
        }

        BoundPorts[free] = pcb->LocalPort;
        fixed (TcpPcb* listener = &Listeners[free])
        {
            *listener = *pcb;
            *err = LwipErr.Ok;
            return listener;
        }
    }

    public static void tcp_ref(TcpPcb* pcb) => pcb->RefCount++;
}

/// <summary>The socket layer's view of a TCP socket.</summary>
public unsafe struct NetSock
{
    public TcpPcb* Pcb;
    public int Backlog;
}

public static class Errno
{
    public const int EADDRINUSE = 98;
    public const int ENOMEM = 12;

    /// <summary>Maps an lwIP error to a negative errno, as system calls return it.</summary>
    public static int FromLwip(sbyte err) => err == LwipErr.Use ? -EADDRINUSE : -ENOMEM;
}
