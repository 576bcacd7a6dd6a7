// Unconverted.cs after every code fix, as written by hand: what the fixes must produce. Only the HG1007 lines
// (ordering and subtracting handles) have no mechanical fix and stay as they were.
using PageTables;
using static PageTables.Pgtable;

public struct Holder
{
    public LL_t Entry;
}

public static unsafe class Unconverted
{
    public static LL_t Deref(hw_LLp p) => LLp_get(p); // expect HG1001
    public static ulong Field(hw_LLp p) => LL_val(LLp_get(p)); // expect HG1001
    public static ulong FieldOfDeref(hw_LLp p) => LL_val(LLp_get(p)); // expect HG1001
    public static void Store(hw_LLp p, LL_t v) => set_LL(p, v); // expect HG1001
    public static LL_t Index(hw_LLp p, int i) => LLp_get(hw_LL_add(p, i)); // expect HG1003
    public static LL_t IndexByAddress(hw_LLp p, ulong addr) => LLp_get(hw_LL_add(p, (int)LL_index(addr))); // expect HG1003
    public static void StoreIndex(hw_LLp p, int i, LL_t v) => set_LL(hw_LL_add(p, i), v); // expect HG1003

    public static hw_LLp Steps(hw_LLp p)
    {
        p = hw_LL_next(p); // expect HG1002
        p = hw_LL_next(p); // expect HG1002
        p = hw_LL_next(p); // expect HG1002
        p = hw_LL_add(p, -2); // expect HG1002
        p = hw_LL_add(p, -1); // expect HG1002
        return p;
    }

    public static hw_LLp Plus(hw_LLp p, int n) => hw_LL_add(p, n); // expect HG1002
    public static hw_LLp PlusIndex(hw_LLp p, ulong addr) => hw_LL_add(p, (int)LL_index(addr)); // expect HG1002
    public static hw_LLp Minus(hw_LLp p) => hw_LL_add(p, -1); // expect HG1002
    public static hw_LLp Cast(LL_t* raw) => __hw_LLp(raw); // expect HG1004
    public static LL_t* Release(hw_LLp p) => __hw_LLp_ptr(p); // expect HG1004
    public static ulong AsNumber(hw_LLp p) => (ulong)__hw_LLp_ptr(p); // expect HG1004
    public static void* AsVoid(hw_LLp p) => __hw_LLp_ptr(p); // expect HG1004
    public static LL_t* Declared(hw_LLp p) => __hw_LLp_ptr(p); // expect HG1004
    public static hw_LLp FromAlloc(void* raw) => __hw_LLp((LL_t*)raw); // expect HG1005

    public static LL_t Local()
    {
        LL_t local = default;
        return LLp_get(__hw_LLp(&local)); // expect HG1005
    }

    public static LL_t FieldAddress()
    {
        Holder holder = default;
        return LLp_get(__hw_LLp(&holder.Entry)); // expect HG1005
    }

    public static LL_t Element()
    {
        LL_t* array = stackalloc LL_t[4];
        return LLp_get(__hw_LLp(&array[1])); // expect HG1005
    }

    public static LL_t FromPointer(LL_t* raw) => LLp_get(__hw_LLp(raw)); // expect HG1005
    public static bool IsNull(hw_LLp p) => hw_LLp_is_null(p); // expect HG1006
    public static bool NotNull(hw_LLp p) => !hw_LLp_is_null(p); // expect HG1006
    public static hw_LLp None() => default(hw_LLp); // expect HG1006
    public static bool Before(hw_LLp p, hw_LLp q) => p < q; // expect HG1007
    public static long Distance(hw_LLp p, hw_LLp q) => p - q; // expect HG1007

    // Written with the API: builds in both forms, no warning.
    public static LL_t Api(hw_LLp p, LL_t* raw, ulong addr)
    {
        var q = hw_LL_add(__hw_LLp(raw), (int)LL_index(addr));
        set_LL(q, LLp_get_once(hw_LL_next(p)));
        return hw_LLp_is_null(q) || q == p ? default : *__hw_LLp_ptr(q);
    }

    // A plain pointer to entries (a table being built, a copy) is a pointer in both forms: no warning.
    public static LL_t Raw(LL_t* table)
    {
        table[1] = table[0];
        LL_t* t = table + 1;
        t++;
        return t == null ? default : *t;
    }
}
