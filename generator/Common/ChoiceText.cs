using System;

namespace HandleGen.Generator.Common;

/// <summary>
/// The word for a choice (a form, a style, a direct map, an entry access): its name in lower case, as levels.json
/// and the MSBuild switches spell it. The templates print and compare choices by this word (see SourceEmitter).
/// </summary>
internal static class ChoiceText
{
    public static string Word(this Enum choice) => choice.ToString().ToLowerInvariant();
}
