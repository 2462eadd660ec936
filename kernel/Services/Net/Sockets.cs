namespace Kernel.Services.Net
{
    /// <summary>
    /// The socket layer: small integer handles over the stack's TCP blocks, errno-style results (a negative
    /// <see cref="NetErr"/> value), never a fault. Non-blocking: an operation that cannot make progress now
    /// returns -EAGAIN; <see cref="NetIo"/> has the loops that wait.
    /// </summary>
    public sealed class Sockets
    {
        private readonly NetStack _stack;
        private readonly TcpConnection?[] _table;

        public Sockets(NetStack stack, int capacity)
        {
            _stack = stack;
            _table = new TcpConnection?[capacity];
        }

        public NetStack Stack => _stack;

        /// <summary>Open handles (the socket layer's leak counter).</summary>
        public int Open
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _table.Length; i++)
                {
                    if (_table[i] != null)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        private int FreeSlot()
        {
            for (int i = 0; i < _table.Length; i++)
            {
                if (_table[i] == null)
                {
                    return i;
                }
            }
            return -1;
        }

        [MayReturnNull]
        private TcpConnection? Get(int fd)
        {
            if (fd < 0 || fd >= _table.Length)
            {
                return null;
            }
            return _table[fd];
        }

        /// <summary>Listens on a port: a handle, or -EADDRINUSE when the port already has a listener (seed 000:
        /// an error for the caller, never a fault), -ENOBUFS/-EMFILE when out of blocks or handles.</summary>
        public int Listen(ushort port, int backlog)
        {
            int fd = FreeSlot();
            if (fd < 0)
            {
                return -NetErr.EMFILE;
            }
            TcpConnection? l = _stack.Tcp.ListenWithBacklogAndErr(port, backlog, out int err);
            if (l == null)
            {
                return -err;
            }
            _table[fd] = l;
            return fd;
        }

        /// <summary>A handle for the next established connection, -EAGAIN when none is waiting.</summary>
        public int Accept(int fd)
        {
            TcpConnection? l = Get(fd);
            if (l == null)
            {
                return -NetErr.EBADF;
            }
            if (l.State != TcpState.Listen)
            {
                return -NetErr.EINVAL;
            }
            int slot = FreeSlot();
            if (slot < 0)
            {
                return -NetErr.EMFILE;
            }
            TcpConnection? c = _stack.Tcp.Accept(l);
            if (c == null)
            {
                return -NetErr.EAGAIN;
            }
            _table[slot] = c;
            return slot;
        }

        /// <summary>Starts connecting: a handle at once (the handshake runs on; see <see cref="ConnectStatus"/>).</summary>
        public int Connect(uint ip, ushort port, long now)
        {
            int fd = FreeSlot();
            if (fd < 0)
            {
                return -NetErr.EMFILE;
            }
            TcpConnection? c = _stack.Tcp.Connect(ip, port, now);
            if (c == null)
            {
                return -NetErr.ENOBUFS;
            }
            _table[fd] = c;
            return fd;
        }

        /// <summary>0 once established, -EINPROGRESS during the handshake, or the error that ended it.</summary>
        public int ConnectStatus(int fd)
        {
            TcpConnection? c = Get(fd);
            if (c == null)
            {
                return -NetErr.EBADF;
            }
            if (c.Error != 0)
            {
                return -c.Error;
            }
            switch (c.State)
            {
                case TcpState.SynSent:
                case TcpState.SynReceived:
                    return -NetErr.EINPROGRESS;
                case TcpState.Closed:
                case TcpState.Listen:
                    return -NetErr.ENOTCONN;
                default:
                    return 0;
            }
        }

        /// <summary>Queues up to len bytes and returns how many it queued; -EAGAIN when the send buffer is full.</summary>
        public int Send(int fd, byte[] buf, int off, int len, long now)
        {
            TcpConnection? c = Get(fd);
            if (c == null)
            {
                return -NetErr.EBADF;
            }
            if (off < 0 || len < 0 || len > buf.Length - off) // no overflow for a huge off
            {
                return -NetErr.EINVAL;
            }
            int n = _stack.Tcp.Send(c, buf, off, len, now);
            return n == 0 && len > 0 ? -NetErr.EAGAIN : n;
        }

        /// <summary>Delivers up to len bytes and returns how many it delivered; 0 = end of stream (after every
        /// byte the peer sent); -EAGAIN when nothing has arrived yet.</summary>
        public int Recv(int fd, byte[] buf, int off, int len, long now)
        {
            TcpConnection? c = Get(fd);
            if (c == null)
            {
                return -NetErr.EBADF;
            }
            if (off < 0 || len < 0 || len > buf.Length - off) // no overflow for a huge off
            {
                return -NetErr.EINVAL;
            }
            return _stack.Tcp.Recv(c, buf, off, len, now);
        }

        /// <summary>Closes the handle (FIN after queued data; the stack finishes the protocol on its own).</summary>
        public int Close(int fd, long now)
        {
            TcpConnection? c = Get(fd);
            if (c == null)
            {
                return -NetErr.EBADF;
            }
            _table[fd] = null;
            _stack.Tcp.Close(c, now);
            return 0;
        }

        /// <summary>Half close: no more sending (FIN after the queued data), receiving goes on.</summary>
        public int Shutdown(int fd, long now)
        {
            TcpConnection? c = Get(fd);
            if (c == null)
            {
                return -NetErr.EBADF;
            }
            return _stack.Tcp.Shutdown(c, now);
        }

        /// <summary>The handle's connection state (Closed for a bad handle).</summary>
        public TcpState State(int fd)
        {
            TcpConnection? c = Get(fd);
            return c == null ? TcpState.Closed : c.State;
        }

        /// <summary>All queued data acknowledged by the peer (for a sender that wants to know it got there).</summary>
        public bool AllAcked(int fd)
        {
            TcpConnection? c = Get(fd);
            return c == null || c.Unacked == 0;
        }

        [MayReturnNull]
        public TcpConnection? Connection(int fd) => Get(fd);
    }

    /// <summary>What a blocking helper does while it waits: drive the link and the timers (host tests step the
    /// simulated link; the kernel polls its NIC). False means give up (timeout).</summary>
    public interface INetWait
    {
        long Now { get; }

        bool Wait();
    }

    /// <summary>Loops over the byte counts the socket layer returns (seed 001, KRN005).</summary>
    public static class NetIo
    {
        /// <summary>Reads exactly len bytes unless the stream ends first; returns the bytes read (less than len at
        /// end of stream) or a negative error (also -ETIMEDOUT when the waiter gives up).</summary>
        public static int ReadExact(Sockets s, int fd, byte[] buf, int off, int len, INetWait wait)
        {
            int done = 0;
            while (done < len)
            {
                int n = s.Recv(fd, buf, off + done, len - done, wait.Now);
                if (n > 0)
                {
                    done += n;
                    continue;
                }
                if (n == 0)
                {
                    return done;
                }
                if (n != -NetErr.EAGAIN)
                {
                    return n;
                }
                if (!wait.Wait())
                {
                    return -NetErr.ETIMEDOUT;
                }
            }
            return done;
        }

        /// <summary>Queues all len bytes, waiting for room; returns len or a negative error.</summary>
        public static int WriteAll(Sockets s, int fd, byte[] buf, int off, int len, INetWait wait)
        {
            int done = 0;
            while (done < len)
            {
                int n = s.Send(fd, buf, off + done, len - done, wait.Now);
                if (n > 0)
                {
                    done += n;
                    continue;
                }
                if (n != -NetErr.EAGAIN && n != 0)
                {
                    return n;
                }
                if (!wait.Wait())
                {
                    return -NetErr.ETIMEDOUT;
                }
            }
            return done;
        }

        /// <summary>Reads until end of stream into buf (at most len bytes); returns the total or a negative error.</summary>
        public static int ReadToEnd(Sockets s, int fd, byte[] buf, int off, int len, INetWait wait)
        {
            int done = 0;
            while (true)
            {
                int room = len - done;
                int n = s.Recv(fd, buf, off + done, room, wait.Now);
                if (n > 0)
                {
                    done += n;
                    if (done == len)
                    {
                        return done;
                    }
                    continue;
                }
                if (n == 0)
                {
                    return done;
                }
                if (n != -NetErr.EAGAIN)
                {
                    return n;
                }
                if (!wait.Wait())
                {
                    return -NetErr.ETIMEDOUT;
                }
            }
        }

        /// <summary>Waits until a connection started with Connect is established; 0 or a negative error.</summary>
        public static int WaitConnected(Sockets s, int fd, INetWait wait)
        {
            while (true)
            {
                int st = s.ConnectStatus(fd);
                if (st != -NetErr.EINPROGRESS)
                {
                    return st;
                }
                if (!wait.Wait())
                {
                    return -NetErr.ETIMEDOUT;
                }
            }
        }

        /// <summary>Waits for a connection on a listening handle; the new handle or a negative error.</summary>
        public static int AcceptWait(Sockets s, int fd, INetWait wait)
        {
            while (true)
            {
                int c = s.Accept(fd);
                if (c != -NetErr.EAGAIN)
                {
                    return c;
                }
                if (!wait.Wait())
                {
                    return -NetErr.ETIMEDOUT;
                }
            }
        }
    }
}
