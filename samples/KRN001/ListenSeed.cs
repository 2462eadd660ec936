namespace Samples.KRN001;

/// <summary>Seed 000 as it was: a second listen on a bound port returns null and the socket layer dereferences it.</summary>
public static unsafe class ListenSeed
{
    public static int netsock_listen(NetSock* s, int backlog)
    {
        TcpPcb* lw = Lwip.tcp_listen_with_backlog(s->Pcb, (byte)backlog);
        Lwip.tcp_ref(lw); // expect: KRN001
        s->Pcb = lw;
        s->Backlog = backlog;
        return 0;
    }
}
