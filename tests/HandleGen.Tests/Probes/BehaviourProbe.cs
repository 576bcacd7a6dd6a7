// Compiled by the behaviour tests together with the generated API, once per arch and form: the same
// source must build unchanged against the alias and the strong form. `entry_raw` is aliased by the
// test to the arch's entry type (uint or ulong).
using System;
using System.Runtime.InteropServices;
using PageTables;
using static PageTables.Pgtable;

/// <summary>Drives the generated API on native memory and returns what it saw as plain arrays.</summary>
public static unsafe class BehaviourProbe
{
    /// <summary>A zeroed table of `entries` pte entries, page aligned, as native memory.</summary>
    private static pte_t* NewPteTable(int entries)
    {
        var bytes = (nuint)(entries * sizeof(pte_t));
        var table = (pte_t*)NativeMemory.AlignedAlloc(bytes, 4096);
        NativeMemory.Clear(table, bytes);
        return table;
    }

    private static ulong[] Dump(pte_t* table, int entries)
    {
        var values = new ulong[entries];
        for (var i = 0; i < entries; i++)
            values[i] = ((entry_raw*)table)[i];
        return values;
    }

    /// <summary>set_ptes(first, nr) at index `at` of a fresh table; returns the whole table.</summary>
    public static ulong[] SetPtes(ulong first, int nr, int at)
    {
        var table = NewPteTable(PTRS_PER_PTE);
        try
        {
            set_ptes(hw_pte_add(__hw_ptep(table), at), __pte((entry_raw)first), nr);
            return Dump(table, PTRS_PER_PTE);
        }
        finally
        {
            NativeMemory.AlignedFree(table);
        }
    }

    /// <summary>
    /// Writes `values` into a table with raw stores, then reads them back through the API four ways:
    /// sum of ptep_get along hw_pte_next, sum of ptep_get_once, sum over the foreach range, count of the range.
    /// </summary>
    public static ulong[] ReadBack(ulong[] values)
    {
        var table = NewPteTable(values.Length);
        try
        {
            for (var i = 0; i < values.Length; i++)
                ((entry_raw*)table)[i] = (entry_raw)values[i];

            ulong plain = 0, once = 0, ranged = 0, count = 0;
            var p = __hw_ptep(table);
            for (var i = 0; i < values.Length; i++)
            {
                plain += pte_val(ptep_get(p));
                once += pte_val(ptep_get_once(p));
                p = hw_pte_next(p);
            }

            foreach (var q in hw_pte_range(__hw_ptep(table), values.Length))
            {
                ranged += pte_val(ptep_get(q));
                count++;
            }

            return new[] { plain, once, ranged, count };
        }
        finally
        {
            NativeMemory.AlignedFree(table);
        }
    }

    /// <summary>
    /// For each level, top to bottom: stores `value` with set_L into the third entry of a fresh table, then
    /// returns (raw memory word, L_val(Lp_get), L_val(Lp_get_once), the other seven words OR-ed together).
    /// </summary>
    public static ulong[] SetAndGetEveryLevel(ulong value)
    {
        var results = new ulong[5 * 4];
        var raw = (entry_raw)value;
        var memory = (entry_raw*)NativeMemory.AlignedAlloc((nuint)(8 * sizeof(entry_raw)), 64);
        try
        {
            void Record(int level)
            {
                results[level * 4] = memory[2];
                ulong others = 0;
                for (var i = 0; i < 8; i++)
                    others |= i == 2 ? 0 : memory[i];
                results[level * 4 + 3] = others;
            }

            NativeMemory.Clear(memory, (nuint)(8 * sizeof(entry_raw)));
            var pgdp = hw_pgd_add(__hw_pgdp((pgd_t*)memory), 2);
            set_pgd(pgdp, __pgd(raw));
            Record(0);
            results[1] = pgd_val(pgdp_get(pgdp));
            results[2] = pgd_val(pgdp_get_once(pgdp));

            NativeMemory.Clear(memory, (nuint)(8 * sizeof(entry_raw)));
            var p4dp = hw_p4d_add(__hw_p4dp((p4d_t*)memory), 2);
            set_p4d(p4dp, __p4d(raw));
            Record(1);
            results[5] = p4d_val(p4dp_get(p4dp));
            results[6] = p4d_val(p4dp_get_once(p4dp));

            NativeMemory.Clear(memory, (nuint)(8 * sizeof(entry_raw)));
            var pudp = hw_pud_add(__hw_pudp((pud_t*)memory), 2);
            set_pud(pudp, __pud(raw));
            Record(2);
            results[9] = pud_val(pudp_get(pudp));
            results[10] = pud_val(pudp_get_once(pudp));

            NativeMemory.Clear(memory, (nuint)(8 * sizeof(entry_raw)));
            var pmdp = hw_pmd_add(__hw_pmdp((pmd_t*)memory), 2);
            set_pmd(pmdp, __pmd(raw));
            Record(3);
            results[13] = pmd_val(pmdp_get(pmdp));
            results[14] = pmd_val(pmdp_get_once(pmdp));

            NativeMemory.Clear(memory, (nuint)(8 * sizeof(entry_raw)));
            var ptep = hw_pte_add(__hw_ptep((pte_t*)memory), 2);
            set_pte(ptep, __pte(raw));
            Record(4);
            results[17] = pte_val(ptep_get(ptep));
            results[18] = pte_val(ptep_get_once(ptep));
            return results;
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    /// <summary>Handle identity: [same pointer equal, next differs, add then next, default is null, real is not null, add(n) = n nexts, the pointer behind add(n)].</summary>
    public static bool[] HandleIdentity()
    {
        var table = NewPteTable(8);
        try
        {
            var a = __hw_ptep(table);
            var b = __hw_ptep(table);
            var next = hw_pte_next(a);
            hw_ptep none = default;
            return new[]
            {
                a == b,
                next != a,
                hw_pte_next(hw_pte_add(a, 2)) == hw_pte_add(a, 3),
                hw_ptep_is_null(none),
                !hw_ptep_is_null(a),
                hw_pte_add(a, 3) == hw_pte_next(hw_pte_next(hw_pte_next(a))),
                __hw_ptep_ptr(hw_pte_add(a, 5)) == table + 5,
            };
        }
        finally
        {
            NativeMemory.AlignedFree(table);
        }
    }

    /// <summary>pte_next_pfn applied once.</summary>
    public static ulong NextPfn(ulong value) => pte_val(pte_next_pfn(__pte((entry_raw)value)));

    /// <summary>Entry size in bytes at each level, top to bottom.</summary>
    public static int[] EntrySizes() => new[] { sizeof(pgd_t), sizeof(p4d_t), sizeof(pud_t), sizeof(pmd_t), sizeof(pte_t) };

    /// <summary>Value equality of entries: [equal values ==, different values !=, Equals, hash equal].</summary>
    public static bool[] EntryEquality(ulong value) => new[]
    {
        __pte((entry_raw)value) == __pte((entry_raw)value),
        __pte((entry_raw)value) != __pte((entry_raw)(value + 1)),
        __pmd((entry_raw)value).Equals(__pmd((entry_raw)value)),
        __pud((entry_raw)value).GetHashCode() == __pud((entry_raw)value).GetHashCode(),
    };
}
