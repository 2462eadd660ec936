using System;

namespace Kernel.Services
{
    /// <summary>An optional value (services use it for resources that can be absent, e.g. a process's
    /// address space after exit). Unwrap only after a presence check (KRN003/KRN004 enforce it); Unwrap on
    /// None throws, which in the kernel is a panic.</summary>
    public readonly struct Option<T>
    {
        private readonly T _value;
        private readonly bool _isSome;

        private Option(T value)
        {
            _value = value;
            _isSome = true;
        }

        public static Option<T> None => default;

        public static Option<T> Some(T value) => new Option<T>(value);

        public bool IsSome => _isSome;

        public bool IsNone => !_isSome;

        public T Unwrap()
        {
            if (!_isSome)
            {
                throw new InvalidOperationException();
            }
            return _value;
        }

        public bool TryUnwrap(out T value)
        {
            value = _value;
            return _isSome;
        }

        public T UnwrapOr(T fallback) => _isSome ? _value : fallback;
    }
}
