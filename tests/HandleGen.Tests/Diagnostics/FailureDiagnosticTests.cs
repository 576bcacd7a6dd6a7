using System;
using System.IO;
using System.Runtime.InteropServices;
using HandleGen.Generator.Diagnostics;

namespace HandleGen.Tests.Diagnostics;

/// <summary>Which exceptions are the compiler host's fault (HG0900) and which are HandleGen's own (HG9999).</summary>
public sealed class FailureDiagnosticTests
{
    public static TheoryData<Exception, string> LoadFailures => new()
    {
        { new FileNotFoundException("Could not load", "System.Text.Json, Version=10.0.0.0"), "assembly 'System.Text.Json, Version=10.0.0.0'" },
        { new FileLoadException("Could not load", "Scriban.Signed, Version=7.0.0.0"), "assembly 'Scriban.Signed, Version=7.0.0.0'" },
        { new TypeInitializationException("Scriban.Template", new FileNotFoundException("x", "Microsoft.CSharp, Version=4.0.0.0")), "assembly 'Microsoft.CSharp, Version=4.0.0.0'" },
        { new MissingMethodException("Method not found: 'Void Microsoft.CodeAnalysis.X.Y()'."), "MissingMethodException: Method not found: 'Void Microsoft.CodeAnalysis.X.Y()'." },
        { new TypeLoadException("Could not load type 'Z'\nfrom assembly 'A'"), "TypeLoadException: Could not load type 'Z' from assembly 'A'" },
    };

    [Theory]
    [MemberData(nameof(LoadFailures))]
    public void A_load_failure_is_a_host_fault_naming_what_failed_and_the_runtime(Exception failure, string what)
    {
        var diagnostic = FailureDiagnostic.From(failure, whileReadingInput: true).ToDiagnostic();

        Assert.Equal("HG0900", diagnostic.Id);
        var message = diagnostic.GetMessage();
        Assert.StartsWith("HandleGen generated nothing: its " + what + " could not be loaded by this compiler, which runs on " + RuntimeInformation.FrameworkDescription + ".", message);
        Assert.Contains("not caused by levels.json", message);
    }

    [Theory]
    [InlineData(true, "HandleGen failed and generated nothing: InvalidOperationException: broken template. This is a fault in HandleGen; please report it with your levels.json (see diagnostics.md#hg9999)")]
    [InlineData(false, "HandleGen failed and generated nothing: InvalidOperationException: broken template. This is a fault in HandleGen; please report it (see diagnostics.md#hg9999)")]
    public void Any_other_exception_is_an_internal_error_that_asks_for_levels_json_only_when_it_was_being_read(bool whileReadingInput, string expected)
    {
        var diagnostic = FailureDiagnostic.From(new InvalidOperationException("broken\ntemplate"), whileReadingInput).ToDiagnostic();

        Assert.Equal("HG9999", diagnostic.Id);
        Assert.Equal(expected, diagnostic.GetMessage());
    }
}
