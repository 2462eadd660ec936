namespace Kernel.Services.Net
{
    /// <summary>Errno values (Linux numbering) the network stack returns negated, e.g. <c>-NetErr.EADDRINUSE</c>.
    /// Kept here (not in Services/Errno.cs) so the network stack owns its own set.</summary>
    public static class NetErr
    {
        public const int EBADF = 9;
        public const int EAGAIN = 11;
        public const int ENOMEM = 12;
        public const int EINVAL = 22;
        public const int EMFILE = 24;
        public const int EPIPE = 32;
        public const int EMSGSIZE = 90;
        public const int EOPNOTSUPP = 95;
        public const int EADDRINUSE = 98;
        public const int ENETUNREACH = 101;
        public const int ECONNRESET = 104;
        public const int ENOBUFS = 105;
        public const int EISCONN = 106;
        public const int ENOTCONN = 107;
        public const int ETIMEDOUT = 110;
        public const int ECONNREFUSED = 111;
        public const int EINPROGRESS = 115;

        public static string Name(int err)
        {
            int e = err < 0 ? -err : err;
            switch (e)
            {
                case 0: return "OK";
                case EBADF: return "EBADF";
                case EAGAIN: return "EAGAIN";
                case ENOMEM: return "ENOMEM";
                case EINVAL: return "EINVAL";
                case EMFILE: return "EMFILE";
                case EPIPE: return "EPIPE";
                case EMSGSIZE: return "EMSGSIZE";
                case EOPNOTSUPP: return "EOPNOTSUPP";
                case EADDRINUSE: return "EADDRINUSE";
                case ENETUNREACH: return "ENETUNREACH";
                case ECONNRESET: return "ECONNRESET";
                case ENOBUFS: return "ENOBUFS";
                case EISCONN: return "EISCONN";
                case ENOTCONN: return "ENOTCONN";
                case ETIMEDOUT: return "ETIMEDOUT";
                case ECONNREFUSED: return "ECONNREFUSED";
                case EINPROGRESS: return "EINPROGRESS";
                default: return "E" + e.ToString();
            }
        }
    }
}
