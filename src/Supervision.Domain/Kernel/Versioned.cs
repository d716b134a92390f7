namespace Supervision.Domain.Kernel;

/// <summary>One numbered version of a definition (a matter's, a check form's).</summary>
public interface INumberedVersion
{
    int Number { get; }
}

/// <summary>
/// A definition kept in numbered versions, oldest first and never empty (matters, check forms): a task or a case that pinned a
/// version can always read it again, after later versions and after retirement.
/// </summary>
public interface IVersionedDefinition<TVersion> where TVersion : INumberedVersion
{
    string Code { get; }

    IReadOnlyList<TVersion> Versions { get; }
}

public static class VersionedDefinitions
{
    /// <summary>The definition in force now.</summary>
    public static TVersion Latest<TVersion>(this IVersionedDefinition<TVersion> definition) where TVersion : INumberedVersion =>
        definition.Versions[^1];

    /// <summary>The definition with that number, or null when there is none.</summary>
    public static TVersion? VersionNumbered<TVersion>(this IVersionedDefinition<TVersion> definition, int number) where TVersion : INumberedVersion =>
        definition.Versions.FirstOrDefault(v => v.Number == number);
}
