namespace Supervision.DrawVerifier.Tests;

/// <summary>A fact that is skipped, with the reason, when python3 is not on PATH (CI machines have Python 3.11).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (Verifiers.PythonMissing is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the reason, when python3 is not on PATH.</summary>
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute()
    {
        if (Verifiers.PythonMissing is { } reason) Skip = reason;
    }
}
