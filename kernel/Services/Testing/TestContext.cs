namespace Kernel.Services.Testing
{
    /// <summary>What an in-kernel test reports: the first failure wins. Pure: shared with host tests.</summary>
    public sealed class TestContext
    {
        public bool Failed { get; private set; }

        public string Reason { get; private set; } = "";

        public void Fail(string reason)
        {
            if (!Failed)
            {
                Failed = true;
                Reason = reason;
            }
        }

        public bool Check(bool condition, string what)
        {
            if (!condition)
            {
                Fail(what);
            }
            return condition;
        }

        public bool Equal(ulong expected, ulong actual, string what)
        {
            if (expected != actual)
            {
                Fail(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
                return false;
            }
            return true;
        }

        public bool Equal(long expected, long actual, string what)
        {
            if (expected != actual)
            {
                Fail(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
                return false;
            }
            return true;
        }

        public bool Equal(string expected, string actual, string what)
        {
            if (expected != actual)
            {
                Fail(what + ": expected \"" + expected + "\", got \"" + actual + "\"");
                return false;
            }
            return true;
        }
    }

    /// <summary>The result-line protocol between the in-kernel runner and the host (Kernel.Tests parses it).</summary>
    public static class TestProtocol
    {
        public const string ListBegin = "TESTLIST BEGIN";
        public const string ListEnd = "TESTLIST END";
        public const string NamePrefix = "TESTNAME ";
        public const string TestPrefix = "TEST ";
        public const string Start = "START";
        public const string Pass = "PASS";
        public const string Fail = "FAIL";
        public const string SummaryPrefix = "SUMMARY ";
        public const string PanicPrefix = "PANIC";

        /// <summary>"TEST name START" / "TEST name PASS" / "TEST name FAIL reason".</summary>
        public static string ResultLine(string name, string status, string reason)
        {
            return reason.Length == 0 ? TestPrefix + name + " " + status : TestPrefix + name + " " + status + " " + reason;
        }

        public static string SummaryLine(int total, int passed, int failed)
        {
            return SummaryPrefix + "total=" + total.ToString() + " passed=" + passed.ToString() + " failed=" + failed.ToString();
        }
    }
}
