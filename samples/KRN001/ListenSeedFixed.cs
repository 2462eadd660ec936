namespace Samples.KRN001;

/// <summary>Seed 000 repaired: the error-reporting variant, a null check, and the errno the caller expects.</summary>
public static unsafe class ListenSeedFixed
{
    public static int netsock_listen(NetSock* s, int backlog)
    {
        sbyte err;
        TcpPcb* lw = Lwip.tcp_listen_with_backlog_and_err(s->Pcb, (byte)backlog, &err);
        if (lw == null)
        {
            return Errno.FromLwip(err);
        }

        Lwip.tcp_ref(lw);
        s->Pcb = lw;
        s->Backlog = backlog;
        return 0;
    }
}
