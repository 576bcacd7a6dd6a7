namespace HandleGen.Generator.Model;

/// <summary>What a level is, in the kernel's words, for the doc comments of <c>pgtable_level</c>.</summary>
internal sealed partial record LevelModel
{
    /// <summary>The level's place in the walk: Linux names the five levels by position, not by size.</summary>
    public string Description => IsTop ? "The top level"
        : IsLeaf ? "The last level, whose entries map pages"
        : Name switch
        {
            "p4d" => "The fourth level from the bottom",
            "pud" => "The page upper directory",
            _ => "The page middle directory",
        };
}
