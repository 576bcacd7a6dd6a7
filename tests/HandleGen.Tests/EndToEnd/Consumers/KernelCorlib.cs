// A kernel that is its own core library, as kernels compiled by ILCompiler with IlcSystemModule are: the types
// the compiler needs, MethodImplAttribute, the export attribute, and the two Interlocked members the generated
// atomics call, CompareExchange marked [Intrinsic] with a plain (not atomic) body that the compiler must not use.
// Then kernel code on the generated ptep_try_cmpxchg / ptep_cmpxchg / ptep_xchg / ptep_test_and_clear_young, and two
// controls that must not become lock cmpxchg: an Interlocked overload without [Intrinsic] and an [Intrinsic]
// method of the same name and signature in a class that is not System.Threading.Interlocked.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using PageTables;
using static PageTables.Pgtable;

namespace System
{
    public class Object
    {
        public virtual bool Equals(object? obj) => false;
        public virtual int GetHashCode() => 0;
        public virtual string? ToString() => null;
    }

    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
    public struct Void { }
    public struct Boolean { }
    public struct Char { }
    public struct SByte { }
    public struct Byte { }
    public struct Int16 { }
    public struct UInt16 { }
    public struct Int32 { }
    public struct UInt32 { }
    public struct Int64 { }
    public struct UInt64 { }
    public struct IntPtr { }
    public struct UIntPtr { }
    public struct Single { }
    public struct Double { }
    public sealed class String { }
    public abstract class Array { }
    public abstract class Attribute { }
    public abstract class Delegate { }
    public abstract class MulticastDelegate : Delegate { }
    public struct RuntimeTypeHandle { }
    public struct RuntimeFieldHandle { }
    public struct RuntimeMethodHandle { }
    public abstract class Type { }

    public enum AttributeTargets { Assembly = 1, Module = 2, Class = 4, Struct = 8, Enum = 16, Constructor = 32, Method = 64, Property = 128, Field = 256, Event = 512, Interface = 1024, Parameter = 2048, Delegate = 4096, ReturnValue = 8192, GenericParameter = 16384, All = 32767 }

    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { }
        public bool AllowMultiple { get; set; }
        public bool Inherited { get; set; }
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Marks a method whose calls the compiler may replace with code of its own, found by the method's name.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class IntrinsicAttribute : Attribute { }

    public enum MethodImplOptions { NoInlining = 8, AggressiveInlining = 256 }

    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
    }
}

namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public string? EntryPoint;
    }
}

namespace System.Threading
{
    public static class Interlocked
    {
        // The bodies are what a caller gets when the compiler does not replace the call: a plain read and write.
        [Intrinsic]
        public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand)
        {
            var found = location1;
            if (found == comparand)
                location1 = value;
            return found;
        }

        [Intrinsic]
        public static ulong Exchange(ref ulong location1, ulong value)
        {
            var found = location1;
            location1 = value;
            return found;
        }

        // The control without [Intrinsic].
        public static uint CompareExchange(ref uint location1, uint value, uint comparand)
        {
            var found = location1;
            if (found == comparand)
                location1 = value;
            return found;
        }
    }

    /// <summary>The control with [Intrinsic] in a class the compiler does not know.</summary>
    public static class KernelAtomics
    {
        [Intrinsic]
        public static ulong CompareExchange(ref ulong location1, ulong value, ulong comparand)
        {
            var found = location1;
            if (found == comparand)
                location1 = value;
            return found;
        }
    }
}

namespace Kernel
{
    public static unsafe class Paging
    {
        /// <summary>The one export: roots every method below, so that the compiler compiles them.</summary>
        [UnmanagedCallersOnly(EntryPoint = "kernel_paging_selftest")]
        public static ulong SelfTest(ulong* entry) =>
            SetAccessed((pte_t*)entry) + Replace((pte_t*)entry, 0x1063, 0x2063) + (TestAndClearYoung((pte_t*)entry) ? 1UL : 0)
            + Swap((pte_t*)entry, 0x3063) + UnmarkedCompareExchange((uint*)entry, 1, 2) + MisnamedCompareExchange(entry, 1, 2);

        /// <summary>Sets the accessed bit of a live entry in a ptep_try_cmpxchg loop; returns the value replaced.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ulong SetAccessed(pte_t* entry)
        {
            var ptep = __hw_ptep(entry);
            var old = ptep_get_once(ptep);
            while (!ptep_try_cmpxchg(ptep, ref old, pte_mkyoung(old)))
            {
            }

            return pte_val(old);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ulong Replace(pte_t* entry, ulong old, ulong @new) => pte_val(ptep_cmpxchg(__hw_ptep(entry), __pte(old), __pte(@new)));

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ulong Swap(pte_t* entry, ulong @new) => pte_val(ptep_xchg(__hw_ptep(entry), __pte(@new)));

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static bool TestAndClearYoung(pte_t* entry) => ptep_test_and_clear_young(__hw_ptep(entry));

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static uint UnmarkedCompareExchange(uint* word, uint comparand, uint value) => Interlocked.CompareExchange(ref *word, value, comparand);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ulong MisnamedCompareExchange(ulong* word, ulong comparand, ulong value) => KernelAtomics.CompareExchange(ref *word, value, comparand);
    }
}
