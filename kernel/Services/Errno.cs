namespace Kernel.Services
{
    /// <summary>POSIX error numbers (Linux values). Services return them negated (<c>-Errno.ENOENT</c>) from
    /// calls that return a count or a handle, Linux-kernel style: a failure is a value, never a panic.</summary>
    public static class Errno
    {
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int ESRCH = 3;
        public const int EIO = 5;
        public const int EBADF = 9;
        public const int ECHILD = 10;
        public const int EAGAIN = 11;
        public const int ENOMEM = 12;
        public const int EBUSY = 16;
        public const int EEXIST = 17;
        public const int ENOTDIR = 20;
        public const int EISDIR = 21;
        public const int ENODEV = 19;
        public const int EINVAL = 22;
        public const int ENFILE = 23;
        public const int EMFILE = 24;
        public const int EFBIG = 27;
        public const int ENOSPC = 28;
        public const int ENAMETOOLONG = 36;
        public const int ENOTEMPTY = 39;
    }
}
