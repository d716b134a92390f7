using Marten.Events.Projections;
using Supervision.Api.Integrity;

namespace Supervision.Api.Infrastructure.Rebuild;

internal static class RebuildTargets
{
    /// <summary>The targets for the given projection types, in the order given; <see cref="EventSubjectsProjection"/> is the subject index.</summary>
    public static List<RebuildTarget> For(IDocumentStore store, IEnumerable<Type> projections)
    {
        var serializer = store.Options.Serializer();
        var targets = new List<RebuildTarget>();
        foreach (var type in projections)
        {
            if (type == typeof(EventSubjectsProjection)) { targets.Add(new SubjectIndexTarget()); continue; }
            var projection = Activator.CreateInstance(type)!;
            var documentType = DocumentTypeOf(type);
            var mapping = store.Options.FindOrResolveDocumentType(documentType);
            var duplicated = mapping.DuplicatedFields.Select(DuplicatedColumn.Of).ToList();
            targets.Add((RebuildTarget)Activator.CreateInstance(typeof(DocumentTarget<>).MakeGenericType(documentType), projection, mapping.TableName.Name,
                serializer, duplicated)!);
        }
        return targets;
    }

    private static Type DocumentTypeOf(Type projection)
    {
        for (var t = projection.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) || t.GetGenericTypeDefinition() == typeof(MultiStreamProjection<,>)))
                return t.GetGenericArguments()[0];
        throw new NotSupportedException($"{projection.Name} is neither a single- nor a multi-stream projection.");
    }
}
