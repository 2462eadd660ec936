using System;

namespace Kernel
{
    /// <summary>The method may return null (a null pointer or reference): every caller checks the result
    /// before use (KRN001 enforces it).</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.ReturnValue | AttributeTargets.Delegate)]
    public sealed class MayReturnNullAttribute : Attribute
    {
    }

    /// <summary>The type must be initialized with its <c>Init()</c> method before any other use
    /// (KRN002 enforces it).</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field)]
    public sealed class RequiresInitAttribute : Attribute
    {
    }
}
