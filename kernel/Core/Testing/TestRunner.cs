using Kernel.Services.Boot;
using Kernel.Services.Testing;

namespace Kernel.Core.Testing
{
    /// <summary>The in-kernel test registry and runner (command lines `list` and `test [name...]`).
    /// Protocol: Services/Testing/TestProtocol; exit codes: Core/Qemu.cs.</summary>
    internal static unsafe class TestRunner
    {
        private const int Capacity = 128;
        private static string[]? s_names;
        private static delegate*<TestContext, void>[]? s_tests;
        private static int s_count;

        internal static void Add(string name, delegate*<TestContext, void> test)
        {
            if (s_names == null || s_tests == null)
            {
                s_names = new string[Capacity];
                s_tests = new delegate*<TestContext, void>[Capacity];
            }
            if (s_count == Capacity)
            {
                Panic.Halt("test registry full");
            }
            s_names[s_count] = name;
            s_tests[s_count] = test;
            s_count++;
        }

        internal static void List()
        {
            KernelTests.RegisterAll();
            Console.WriteLine(TestProtocol.ListBegin);
            for (int i = 0; i < s_count; i++)
            {
                Console.WriteLine(TestProtocol.NamePrefix + NameAt(i));
            }
            Console.WriteLine(TestProtocol.ListEnd);
            Qemu.Exit(ExitCode.Listed);
        }

        /// <summary>Runs every test, or only those named after the command word.</summary>
        internal static void Run(CommandLine args)
        {
            KernelTests.RegisterAll();
            delegate*<TestContext, void>[]? tests = s_tests;
            if (tests == null)
            {
                Panic.Halt("test registry empty");
            }
            int passed = 0, failed = 0;
            for (int i = 0; i < s_count; i++)
            {
                string name = NameAt(i);
                if (!Selected(args, name))
                {
                    continue;
                }
                Console.WriteLine(TestProtocol.ResultLine(name, TestProtocol.Start, ""));
                TestContext ctx = new TestContext();
                tests[i](ctx);
                if (ctx.Failed)
                {
                    failed++;
                    Console.WriteLine(TestProtocol.ResultLine(name, TestProtocol.Fail, ctx.Reason));
                }
                else
                {
                    passed++;
                    Console.WriteLine(TestProtocol.ResultLine(name, TestProtocol.Pass, ""));
                }
                Mm.KernelHeap.FreeObject(ctx);
            }
            Console.WriteLine(TestProtocol.SummaryLine(passed + failed, passed, failed));
            Qemu.Exit(failed == 0 ? ExitCode.TestsPassed : ExitCode.TestsFailed);
        }

        private static string NameAt(int i)
        {
            string[]? names = s_names;
            if (names == null)
            {
                Panic.Halt("test registry empty");
            }
            return names[i];
        }

        private static bool Selected(CommandLine args, string name)
        {
            if (args.Count <= 1)
            {
                return true;
            }
            for (int i = 1; i < args.Count; i++)
            {
                if (args[i] == name)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
