using System.Reflection;
using NpgsqlTypes;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>
/// A duplicated column of a document table (<c>Duplicate(...)</c>), written in the rebuild's COPY from the document's member path as
/// Marten's own upsert passes it; enums as the field's column type stores them.
/// </summary>
internal sealed class DuplicatedColumn(string name, MemberInfo[] path, NpgsqlDbType type)
{
    public string Name { get; } = name;

    public static DuplicatedColumn Of(Marten.Linq.Members.DuplicatedField field) => new(field.ColumnName, field.Members, field.DbType);

    public void Write(NpgsqlBinaryImporter copy, object document)
    {
        object? value = document;
        foreach (var member in path)
        {
            if (value is null) break;
            value = member is PropertyInfo property ? property.GetValue(value) : ((FieldInfo)member).GetValue(value);
        }
        switch (value)
        {
            case null:
                copy.WriteNull();
                break;
            case Enum e:
                if (type is NpgsqlDbType.Integer or NpgsqlDbType.Bigint or NpgsqlDbType.Smallint) copy.Write(Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture), type);
                else copy.Write(e.ToString(), type);
                break;
            default:
                copy.Write(value, type);
                break;
        }
    }
}
