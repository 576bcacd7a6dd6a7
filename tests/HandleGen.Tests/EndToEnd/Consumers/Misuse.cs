// Each marked line is a misuse the strong form must reject with the named compiler error, and the
// alias form (hw_ptep is pte_t*) must accept, as it does today.
using PageTables;
using static PageTables.Pgtable;

/// <summary>Ways to bypass the accessors or pass a stack copy as a live entry.</summary>
public static unsafe class Misuse
{
    /// <summary>Reads an entry by dereferencing the handle.</summary>
    public static pte_t Deref(hw_ptep ptep) => *ptep; // expect CS0193

    /// <summary>Moves the handle by pointer arithmetic.</summary>
    public static hw_ptep Increment(hw_ptep ptep)
    {
        ptep++; // expect CS0023
        return ptep;
    }

    /// <summary>Offsets the handle with +.</summary>
    public static hw_ptep Offset(hw_ptep ptep) => ptep + 1; // expect CS0019

    /// <summary>Indexes the handle.</summary>
    public static pte_t Index(hw_ptep ptep) => ptep[1]; // expect CS0021

    /// <summary>Passes a stack copy where a live entry is expected.</summary>
    public static pte_t StackCopy()
    {
        pte_t local = default;
        return ptep_get(&local); // expect CS1503
    }

    /// <summary>Casts a raw pointer to a handle, bypassing __hw_ptep.</summary>
    public static hw_ptep Cast(pte_t* raw) => (hw_ptep)raw; // expect CS0030

    /// <summary>Casts a handle back to a raw pointer, bypassing __hw_ptep_ptr.</summary>
    public static pte_t* Release(hw_ptep ptep) => (pte_t*)ptep; // expect CS0030

    /// <summary>Compares a handle with null, which a strong handle would silently answer false.</summary>
    public static bool IsNull(hw_ptep ptep) => ptep == null; // expect CS0619

    /// <summary>Reads a pmd entry by dereferencing its handle.</summary>
    public static pmd_t DerefPmd(hw_pmdp pmdp) => *pmdp; // expect CS0193
}
