namespace HandleGen.Runtime;

/// <summary>The five page-table levels, top to bottom, as Linux names them.</summary>
public enum PageTableLevel
{
    /// <summary>The top level, page global directory.</summary>
    Pgd,

    /// <summary>The fourth level from the bottom, page level 4 directory.</summary>
    P4d,

    /// <summary>The page upper directory.</summary>
    Pud,

    /// <summary>The page middle directory.</summary>
    Pmd,

    /// <summary>The last level, whose entries map pages.</summary>
    Pte,
}
