namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

/// <summary>Declarations the KRN001 cases share: a pcb, a listen family, annotated and inferred sources.</summary>
internal static class Code
{
    public const string Prelude = """


        public unsafe struct Pcb { public int State; public Pcb* Next; public fixed byte Name[8]; }

        public sealed class Conn { public int Flags; public void Send(byte[] data) { } public Conn Peer; }

        [System.AttributeUsage(System.AttributeTargets.All)]
        public sealed class MayReturnNullAttribute : System.Attribute { }

        [System.AttributeUsage(System.AttributeTargets.All)]
        public sealed class NeverNullAttribute : System.Attribute { }

        public static unsafe class Net
        {
            public static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);
            public static extern Pcb* ListenWithBacklog(int port, int backlog);
            public static extern Pcb* Accept(Pcb* listener);
            public static extern nint UdpListenV4(int port);
            public static extern Conn AcceptConn(int port);
            public static extern Pcb* FindListeners(int port);
            public static extern Pcb* NewListener(int port);
            [MayReturnNull] public static extern Pcb* Lookup(int id);
            [return: MayReturnNull] public static extern Conn Open(int id);
            [NeverNull] public static extern Pcb* ListenForever(int port);
            public static extern Pcb* Create(int port);
            public static void Touch(Pcb* pcb) => pcb->State = 1;
            public static void TouchChecked(Pcb* pcb) { if (pcb != null) pcb->State = 1; }
            public static void Forward(Pcb* pcb) => Touch(pcb);
            public static Pcb* Find(Pcb* list, int state)
            {
                for (var p = list; p != null; p = p->Next)
                {
                    if (p->State == state) return p;
                }

                return null;
            }
            public static Pcb* FindOrFail(Pcb* list, int state) => Find(list, state);
            [System.Diagnostics.CodeAnalysis.DoesNotReturn] public static void Panic(string message) => throw new System.Exception(message);
            public static void AssertTrue([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition) { if (!condition) throw new System.Exception(); }
            public static void ThrowIfNull([System.Diagnostics.CodeAnalysis.NotNull] object value) { if (value is null) throw new System.Exception(); }
            public static bool TryGetPcb(int id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Conn conn) { conn = null; return false; }
            public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Conn conn) => conn != null;
        }
        """;
}
