using System.Globalization;
using System.Text;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// The part of Drive's <c>q</c> language that indexers use: <c>'id' in parents</c>, <c>trashed</c>, <c>mimeType</c>,
/// <c>name</c> (=, !=, contains; case-insensitive, as Drive's is), <c>modifiedTime</c>/<c>createdTime</c> comparisons,
/// joined by and/or/not with parentheses (rclone batches parents as <c>('a' in parents or 'b' in parents)</c>).
/// Anything else is a 400, as Drive answers an invalid query.
/// </summary>
internal sealed class DriveQuery
{
    private readonly List<string> _tokens;
    private readonly string _rootId;
    private int _position;

    private DriveQuery(List<string> tokens, string rootId)
    {
        _tokens = tokens;
        _rootId = rootId;
    }

    public static Func<FakeDriveItem, bool>? TryParse(string q, string rootId)
    {
        try
        {
            var parser = new DriveQuery(Tokenize(q), rootId);
            var predicate = parser.ParseOr();
            return parser._position == parser._tokens.Count ? predicate : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private Func<FakeDriveItem, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Accept("or"))
        {
            var (a, b) = (left, ParseAnd());
            left = i => a(i) || b(i);
        }

        return left;
    }

    private Func<FakeDriveItem, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("and"))
        {
            var (a, b) = (left, ParseUnary());
            left = i => a(i) && b(i);
        }

        return left;
    }

    private Func<FakeDriveItem, bool> ParseUnary()
    {
        if (Accept("not"))
        {
            var inner = ParseUnary();
            return i => !inner(i);
        }

        if (Accept("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        return ParsePredicate();
    }

    private Func<FakeDriveItem, bool> ParsePredicate()
    {
        var first = Next();
        if (IsLiteral(first))
        {
            Expect("in");
            Expect("parents");
            var parent = Literal(first) is "root" ? _rootId : Literal(first);
            return i => i.ParentId == parent;
        }

        var op = Next();
        var value = Next();
        return first switch
        {
            "trashed" when op is "=" or "!=" && value is "true" or "false" => i => i.Trashed == (value == "true") == (op == "="),
            "name" or "mimeType" when op == "contains" && IsLiteral(value) =>
                i => Field(i, first).Contains(Literal(value), StringComparison.OrdinalIgnoreCase),
            "name" or "mimeType" when op is "=" or "!=" && IsLiteral(value) =>
                i => string.Equals(Field(i, first), Literal(value), StringComparison.OrdinalIgnoreCase) == (op == "="),
            "modifiedTime" or "createdTime" when IsLiteral(value) => CompareTime(first, op, Time(Literal(value))),
            _ => throw new FormatException(),
        };
    }

    private static Func<FakeDriveItem, bool> CompareTime(string field, string op, DateTimeOffset at)
    {
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "!=" => c => c != 0,
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            ">" => c => c > 0,
            ">=" => c => c >= 0,
            _ => throw new FormatException(),
        };
        return i => test((field == "modifiedTime" ? i.ModifiedTime : i.CreatedTime).CompareTo(at));
    }

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : throw new FormatException();

    private static string Field(FakeDriveItem item, string field) => field == "name" ? item.Name : item.MimeType;

    private static bool IsLiteral(string token) => token.StartsWith('\'');

    private static string Literal(string token) => token[1..];

    private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw new FormatException();

    private bool Accept(string token)
    {
        if (_position < _tokens.Count && _tokens[_position] == token)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new FormatException();
        }
    }

    /// <summary>String literals come back as "'" + unescaped text; everything else as written.</summary>
    private static List<string> Tokenize(string q)
    {
        var tokens = new List<string>();
        for (var i = 0; i < q.Length;)
        {
            var c = q[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var literal = new StringBuilder("'");
                for (i++; ; i++)
                {
                    if (i >= q.Length)
                    {
                        throw new FormatException();
                    }

                    if (q[i] == '\\' && i + 1 < q.Length)
                    {
                        literal.Append(q[++i]);
                    }
                    else if (q[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        literal.Append(q[i]);
                    }
                }

                tokens.Add(literal.ToString());
            }
            else if (c is '(' or ')' or '=')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '<' or '>' or '!')
            {
                var twoChars = i + 1 < q.Length && q[i + 1] == '=';
                tokens.Add(twoChars ? q.Substring(i, 2) : c == '!' ? throw new FormatException() : c.ToString());
                i += twoChars ? 2 : 1;
            }
            else if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < q.Length && char.IsAsciiLetterOrDigit(q[i]))
                {
                    i++;
                }

                tokens.Add(q[start..i]);
            }
            else
            {
                throw new FormatException();
            }
        }

        return tokens;
    }
}
