using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UncheckedNullResultAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

public partial class Diagnostics
{
    [Fact]
    public Task ListenResultDereferencedWithArrow()
    {
        const string source = """
            unsafe struct Pcb { public int State; }
            unsafe static class Net
            {
                static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);

                static int Listen(Pcb* bound)
                {
                    Pcb* pcb = {|#1:tcp_listen_with_backlog(bound, 4)|};
                    {|#0:pcb|}->State = 1;
                    return 0;
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source,
            Verifier.Diagnostic("KRN001").WithLocation(0).WithLocation(1)
                .WithMessage("'pcb' may be null: 'tcp_listen_with_backlog' returns null on failure (e.g. address in use); check it before use"));
    }
}
