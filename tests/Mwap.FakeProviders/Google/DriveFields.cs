using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// Drive's partial-response selector (<c>fields=nextPageToken,files(id,name)</c>, <c>files/id</c>, <c>*</c>). A
/// selection keeps only the members it names, so a client that sets fields but forgets nextPageToken gets no
/// nextPageToken and stops after one page, exactly as against the real API.
/// </summary>
internal sealed class DriveFields
{
    // A null value means "this member with everything below it".
    private readonly Dictionary<string, DriveFields?> _members = new(StringComparer.Ordinal);

    private DriveFields()
    {
    }

    public static DriveFields? TryParse(string fields)
    {
        var position = 0;
        var parsed = ParseList(fields, ref position);
        return parsed is not null && position == fields.Length ? parsed : null;
    }

    public JsonObject Apply(JsonObject source)
    {
        if (_members.ContainsKey("*"))
        {
            return (JsonObject)source.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (name, sub) in _members)
        {
            if (source[name] is not { } value)
            {
                continue;
            }

            result[name] = (sub, value) switch
            {
                (null, _) => value.DeepClone(),
                (_, JsonObject child) => sub.Apply(child),
                (_, JsonArray items) => new JsonArray([.. items.Select(i => i is JsonObject o ? sub.Apply(o) : i?.DeepClone())]),
                _ => value.DeepClone(),
            };
        }

        return result;
    }

    private static DriveFields? ParseList(string text, ref int position)
    {
        var fields = new DriveFields();
        while (ParseItem(text, ref position, out var name, out var sub))
        {
            fields.Merge(name, sub);
            if (position >= text.Length || text[position] != ',')
            {
                return fields;
            }

            position++;
        }

        return null;
    }

    /// <summary>One member: <c>name</c>, <c>name(a,b)</c> or the path form <c>name/child</c>.</summary>
    private static bool ParseItem(string text, ref int position, out string name, out DriveFields? sub)
    {
        sub = null;
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '*' or '_'))
        {
            position++;
        }

        name = text[start..position];
        if (name.Length == 0)
        {
            return false;
        }

        if (position < text.Length && text[position] == '(')
        {
            position++;
            sub = ParseList(text, ref position);
            if (sub is null || position >= text.Length || text[position] != ')')
            {
                return false;
            }

            position++;
        }
        else if (position < text.Length && text[position] == '/')
        {
            position++;
            if (!ParseItem(text, ref position, out var childName, out var childSub))
            {
                return false;
            }

            sub = new DriveFields();
            sub._members[childName] = childSub;
        }

        return true;
    }

    private void Merge(string name, DriveFields? sub)
    {
        if (_members.TryGetValue(name, out var existing) && existing is not null && sub is not null)
        {
            foreach (var (child, grandchild) in sub._members)
            {
                existing.Merge(child, grandchild);
            }
        }
        else
        {
            _members[name] = existing is null && _members.ContainsKey(name) ? null : sub;
        }
    }
}
