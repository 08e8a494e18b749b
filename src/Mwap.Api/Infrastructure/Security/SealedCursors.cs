using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// What a cursor is valid for: the listing it came from (<paramref name="Kind"/>) and everything that listing was scoped
/// to (<paramref name="Scope"/>: integration, project, folder…). A cursor presented anywhere else does not open.
/// </summary>
internal readonly record struct CursorBinding(string Kind, string Scope)
{
    public static CursorBinding Of(string kind, params string?[] scope) => new(kind, string.Join('\n', scope.Select(s => s ?? "")));
}

/// <summary>
/// Every page cursor the API hands out is opaque: the value behind it (a provider's page token or next link, or our own
/// keyset position) is sealed with the platform's AES-GCM key ring, bound to a <see cref="CursorBinding"/> and an
/// expiry. A caller can hand back only a cursor we issued for the same listing; they cannot write one (a provider URL
/// of their choice, say) or move one to another project or folder.
/// </summary>
internal sealed class SealedCursors(ISecretProtector secrets, TimeProvider time)
{
    /// <summary>Long enough to page through a large folder; short enough that a leaked cursor soon stops working.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Larger than any cursor we issue (a provider token of a few hundred characters, sealed and encoded).</summary>
    public const int MaxLength = 8000;

    private const string Table = "cursors";

    public string Seal(string value, CursorBinding binding)
    {
        var expires = time.GetUtcNow().UtcDateTime.Add(Lifetime).Ticks.ToString(CultureInfo.InvariantCulture);
        var envelope = secrets.Protect(expires + "\n" + value, Context(binding));
        // URL-safe, so a client can put it in a query string as it is.
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(envelope));
    }

    /// <summary>The value sealed in <paramref name="cursor"/>, or false when it is not a live cursor we issued for <paramref name="binding"/>.</summary>
    public bool TryOpen(string cursor, CursorBinding binding, out string value)
    {
        value = "";
        if (cursor.Length > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        string payload;
        try
        {
            payload = secrets.Unprotect(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)), Context(binding));
        }
        catch (Exception e) when (e is SecretUnavailableException or FormatException or ArgumentException)
        {
            return false;
        }

        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        if (newline <= 0 || !long.TryParse(payload.AsSpan(0, newline), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks <= time.GetUtcNow().UtcDateTime.Ticks)
        {
            return false;
        }

        value = payload[(newline + 1)..];
        return true;
    }

    private static SecretContext Context(CursorBinding binding) => new(Table, binding.Kind, binding.Scope);
}
