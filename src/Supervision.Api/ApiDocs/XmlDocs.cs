using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Supervision.Api.ApiDocs;

/// <summary>
/// The API assembly's XML documentation file (GenerateDocumentationFile), read once at start-up, so the OpenAPI document says what
/// the endpoints' <c>&lt;summary&gt;</c> and <c>&lt;remarks&gt;</c> say instead of the generated operation ids.
/// </summary>
public sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> members;

    private XmlDocs(Dictionary<string, XElement> members) => this.members = members;

    public static XmlDocs Empty { get; } = new([]);

    /// <summary>The file beside the assembly (the build and <c>dotnet publish</c> both put it there); none: nothing is documented.</summary>
    public static XmlDocs For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path)) return Empty;
        var members = XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => m.Attribute("name")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new XmlDocs(members);
    }

    public int Count => members.Count;

    public XElement? ForType(Type type) => members.GetValueOrDefault("T:" + Name(type));

    /// <summary>An endpoint method's entry; endpoint classes do not overload their endpoint methods, so the first by name is the one.</summary>
    public XElement? ForMethod(MethodInfo method)
    {
        var prefix = $"M:{Name(method.DeclaringType!)}.{method.Name}";
        if (members.TryGetValue(prefix, out var exact)) return exact;
        return members.Where(m => m.Key.StartsWith(prefix + "(", StringComparison.Ordinal)).Select(m => m.Value).FirstOrDefault();
    }

    private static string Name(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    /// <summary>The text of a doc element for a reader: <c>&lt;c&gt;</c> as code spans, references by their short names, paragraphs kept.</summary>
    public static string Text(XElement? element)
    {
        if (element is null) return "";
        var text = new StringBuilder();
        Render(element, text);
        var paragraphs = text.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Whitespace().Replace(p, " ").Trim()).Where(p => p.Length > 0);
        return string.Join("\n\n", paragraphs);
    }

    private static void Render(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "c" } c:
                    text.Append('`').Append(Whitespace().Replace(c.Value, " ").Trim()).Append('`');
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var reference = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Attribute("href")?.Value ?? "";
                    text.Append(see.Value is { Length: > 0 } inner ? inner : ShortName(reference));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } p:
                    text.Append('`').Append(p.Attribute("name")?.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "para" } para:
                    text.Append("\n\n");
                    Render(para, text);
                    text.Append("\n\n");
                    break;
                case XElement { Name.LocalName: "item" } item:
                    text.Append("\n\n- ");
                    Render(item, text);
                    break;
                case XElement other:
                    Render(other, text);
                    break;
            }
        }
    }

    /// <summary><c>T:Supervision.Api.Infrastructure.AsOf</c> → <c>AsOf</c>; <c>M:X.Y.Z(System.Guid)</c> → <c>Y.Z</c>.</summary>
    private static string ShortName(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        if (name.IndexOf('(') is var paren and >= 0) name = name[..paren];
        var parts = name.Split('.');
        return cref.StartsWith("M:", StringComparison.Ordinal) || cref.StartsWith("P:", StringComparison.Ordinal) || cref.StartsWith("F:", StringComparison.Ordinal)
            ? string.Join('.', parts.TakeLast(2))
            : parts[^1];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
