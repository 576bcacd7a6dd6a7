namespace HandleGen.Generator.Spec;

/// <summary>
/// What a handle of a level is (levels.json's <c>form</c>, HandleGenForm). The generated code spells each as its
/// name in lower case, the word levels.json and the switch use.
/// </summary>
internal enum HandleForm
{
    /// <summary>A pointer alias: <c>hw_ptep</c> is <c>pte_t*</c>.</summary>
    Alias,

    /// <summary>An opaque struct (or, in the element style, a wrapper of the entry) that only HandleGen's functions open.</summary>
    Strong,
}

/// <summary>What code holds to reach a live entry (levels.json's <c>style</c>, HandleGenStyle), spelt like <see cref="HandleForm"/>.</summary>
internal enum HandleStyle
{
    /// <summary>A <c>hw_Lp</c> handle.</summary>
    Handle,

    /// <summary>A <c>hw_L_t*</c>, a pointer to the table's element type: the posted upstream vocabulary.</summary>
    Element,
}

/// <summary>The words levels.json and the switches use for the choices: each choice's name in lower case.</summary>
internal static class Choices
{
    /// <summary>The form a word names; null for any other word (the caller reports it).</summary>
    public static HandleForm? Form(string word) => word switch
    {
        "alias" => HandleForm.Alias,
        "strong" => HandleForm.Strong,
        _ => null,
    };

    /// <summary>The style a word names; null for any other word.</summary>
    public static HandleStyle? Style(string word) => word switch
    {
        "handle" => HandleStyle.Handle,
        "element" => HandleStyle.Element,
        _ => null,
    };
}
