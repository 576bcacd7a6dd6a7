using System.Threading.Tasks;

namespace HandleGen.Generator.Emit;

/// <summary>
/// Starts parsing the templates from the generator's constructor. A class of its own that names no Scriban type in
/// a field or a signature: a type loader that resolves a class's field and signature types when the class is first
/// touched (Mono's does) fails on <see cref="TemplateLibrary"/> when Scriban.Signed.dll does not load, and a failure
/// in the constructor is the compiler's CS8032 instead of HandleGen's HG0900. So the constructor touches only this
/// class; <see cref="TemplateLibrary"/> is first touched by <see cref="Parse"/> on the thread pool, where a failure
/// stays in the task, and then where the templates are used, inside the generator's try, where it becomes HG0900.
/// </summary>
internal static class TemplateWarmup
{
    /// <summary>
    /// Starts parsing on the thread pool, once per process. The compiler creates a generator just before it runs
    /// it: the parse, most of it jitting Scriban's parser in a compiler process that is new for each build, then
    /// overlaps with the generator's first steps (reading levels.json, the model).
    /// </summary>
    public static void StartParsing() => Task.Run(Parse);

    private static void Parse() => TemplateLibrary.Parse();
}
