// Compiles only while pgd and pud handles are still pointer aliases: in a staged conversion
// (HandleGenStrongLevels=pte;pmd) the levels not named keep today's pointer type.
using PageTables;

/// <summary>Uses the pgd and pud handles as the pointers they still are.</summary>
public static unsafe class Staged
{
    /// <summary>Dereferences a pgd handle directly, as unconverted code does.</summary>
    public static pgd_t Top(hw_pgdp pgdp) => *pgdp;

    /// <summary>Moves a pud handle by pointer arithmetic, as unconverted code does.</summary>
    public static hw_pudp Next(hw_pudp pudp) => pudp + 1;
}
