// Strong-form code that uses the handle as the struct it is there, one misuse per marked line. Every marked
// line must fail to build in the alias form, and no other line may.
using System.Collections.Generic;
using PageTables;
using static PageTables.Pgtable;

public static unsafe class Converted
{
    public static List<hw_ptep> Listed(hw_ptep p) => new() { p }; // expect HG1101
    public static object Boxed(hw_pmdp p) => p; // expect HG1102
    public static string Named(hw_pudp p) => p.ToString(); // expect HG1102
    public static bool Same(hw_ptep p, object o) => p.Equals(o); // expect HG1102
    public static string Interpolated(hw_pgdp p) => $"at {p}"; // expect HG1103
    public static object Repeated(hw_ptep p) => System.Linq.Enumerable.Repeat(p, 2); // expect HG1101
    public static int Paired(hw_ptep p, int n) { var pair = (p, n); return pair.Item2; } // expect HG1101

    // Portable: builds in both forms, no warning.
    public static string Portable(hw_ptep p, hw_ptep q)
    {
        hw_ptep[] both = [p, q];
        return $"at {(nuint)__hw_ptep_ptr(both[0])} {p == q}";
    }
}
