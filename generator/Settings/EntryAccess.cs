using HandleGen.Generator.Input;

namespace HandleGen.Generator.Settings;

/// <summary>
/// How <c>pXXp_get_once</c> and <c>set_pXX</c> reach the entry word so that the access is single-copy-atomic and never
/// merged, elided or repeated (Linux's <c>READ_ONCE</c>/<c>WRITE_ONCE</c>), as the project's libraries allow.
/// </summary>
/// <param name="Via">The access where the word is accessed in one go.</param>
/// <param name="Direct">True when some process accesses the word in one go (not for a 64-bit entry on a 32-bit target).</param>
/// <param name="Sized">True for a 64-bit entry in an AnyCPU build: <c>sizeof(nuint) == 8</c>, a constant to the JIT, picks the path.</param>
/// <param name="Narrow">How a 32-bit process accesses a 64-bit entry; null where there is no such process.</param>
internal sealed record EntryAccess(AccessVia Via, bool Direct, bool Sized, NarrowAccess? Narrow)
{
    /// <summary>True when some process of this build accesses 64-bit entries as two 32-bit halves: not single-copy-atomic.</summary>
    public bool Torn => IsTorn(Narrow);

    public static bool IsTorn(NarrowAccess? narrow) => narrow is NarrowAccess.Halves or NarrowAccess.Plain;

    /// <summary>
    /// Through Volatile where the library has it for the word, else through a volatile field (the core library's
    /// IsVolatile is all it needs), else through a plain access in a method the JIT does not inline. A 64-bit word
    /// in a 32-bit process takes Interlocked where there is one, else it is two 32-bit accesses (the one case that
    /// is not single-copy-atomic, HG0039).
    /// </summary>
    public static EntryAccess Choose(int entryBits, CompilationFacts facts)
    {
        var word = facts.Word(entryBits);
        if (word.Volatile)
            return new EntryAccess(AccessVia.Volatile, true, false, null);
        var via = facts.HasIsVolatile ? AccessVia.Field : AccessVia.Call;
        if (entryBits == 32 || facts.Target == TargetWidth.Bits64)
            return new EntryAccess(via, true, false, null);
        var narrow = word.Interlocked ? NarrowAccess.Interlocked : facts.HasIsVolatile ? NarrowAccess.Halves : NarrowAccess.Plain;
        return new EntryAccess(via, facts.Target == TargetWidth.Any, facts.Target == TargetWidth.Any, narrow);
    }
}

/// <summary>How the entry word is accessed in one go; the templates compare its word (volatile, field, call).</summary>
internal enum AccessVia
{
    /// <summary>System.Threading.Volatile's Read and Write of the word.</summary>
    Volatile,

    /// <summary>
    /// A volatile field of the word (<c>uint</c>, or <c>nuint</c> for a 64-bit entry), which the compiler accesses with
    /// the IL <c>volatile.</c> prefix; it needs only the core library's IsVolatile.
    /// </summary>
    Field,

    /// <summary>
    /// A plain access inside a method the JIT never inlines, which the caller can neither merge, elide nor repeat (the
    /// core library has no IsVolatile, and the compiler takes it from there only).
    /// </summary>
    Call,
}

/// <summary>How a 32-bit process accesses a 64-bit entry; the templates compare its word (interlocked, halves, plain).</summary>
internal enum NarrowAccess
{
    /// <summary>A compare-exchange of 0 with 0 reads, an exchange writes: single-copy-atomic.</summary>
    Interlocked,

    /// <summary>Two volatile 32-bit accesses in Linux's 32-bit PAE order: not single-copy-atomic.</summary>
    Halves,

    /// <summary>A plain 64-bit access, two loads or stores to the JIT: not single-copy-atomic.</summary>
    Plain,
}
