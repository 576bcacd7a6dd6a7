namespace HandleGen.Generator.Model;

/// <summary>Which generated files exist: a file that would declare nothing is not emitted at all.</summary>
internal sealed partial record ArchModel
{
    /// <summary>True when the template of that name declares something for this model; the others are skipped.</summary>
    /// <param name="template">A file template's name, as in templates/ (Atomics for Atomics.sbntxt).</param>
    public bool Declares(string template) => template switch
    {
        // Every atomic helper is an Interlocked instruction: without Interlocked, none.
        "Atomics" => Library.Interlocked,
        // Only a format whose levels.json gives a contiguous run has the CONT_* constants and contpte_* helpers.
        "Contiguous" => ContiguousBit is not null,
        // HandleGen.Runtime's map is called by its full name; the other maps are Pgtable's own __va and __pa.
        "DirectMap" => !RuntimeMap,
        // The core library's MethodImplAttribute, where it has one, is used as it is.
        "Polyfills" => !Library.MethodImpl,
        _ => true,
    };
}
