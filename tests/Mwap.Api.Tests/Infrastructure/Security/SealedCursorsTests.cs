using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Tests.Infrastructure.Security;

public sealed class SealedCursorsTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly CursorBinding Folder = CursorBinding.Of("files-live", "integration1", "project1", "folder1", "/projects/shoot1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private SealedCursors Create() => new(SecretProtectorTests.Create("a", new() { ["a"] = Key }), _time);

    [Fact]
    public void SealedCursor_OpensToTheProvidersToken_AndDoesNotShowIt()
    {
        var cursors = Create();
        const string token = "https://graph.microsoft.com/v1.0/me/drive/items/abc/children?$skiptoken=xyz";
        var cursor = cursors.Seal(token, Folder);

        Assert.DoesNotContain("graph", cursor, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(cursor, Uri.EscapeDataString(cursor));
        Assert.True(cursors.TryOpen(cursor, Folder, out var opened));
        Assert.Equal(token, opened);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/me/drive/root/children")]
    [InlineData("https://graph.microsoft.com/v1.0/me/drive/root/search(q='')")]
    [InlineData("AAAA")]
    [InlineData("")]
    [InlineData("mwap:v1:a:AAAA")]
    public void AnythingWeDidNotSeal_DoesNotOpen(string forged) =>
        Assert.False(Create().TryOpen(forged, Folder, out _));

    [Fact]
    public void CursorForAnotherFolderProjectOrIntegration_DoesNotOpen()
    {
        var cursors = Create();
        var cursor = cursors.Seal("page-2", Folder);

        Assert.False(cursors.TryOpen(cursor, CursorBinding.Of("files-live", "integration1", "project1", "folder2", "/projects/shoot1/sub"), out _));
        Assert.False(cursors.TryOpen(cursor, CursorBinding.Of("files-live", "integration1", "project2", "folder1", "/projects/shoot1"), out _));
        Assert.False(cursors.TryOpen(cursor, CursorBinding.Of("files-live", "integration2", "project1", "folder1", "/projects/shoot1"), out _));
        Assert.False(cursors.TryOpen(cursor, CursorBinding.Of("folders", "integration1", "project1", "folder1", "/projects/shoot1"), out _));
    }

    [Fact]
    public void Cursor_StopsOpeningWhenItExpires()
    {
        var cursors = Create();
        var cursor = cursors.Seal("page-2", Folder);
        _time.Advance(SealedCursors.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(cursors.TryOpen(cursor, Folder, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cursors.TryOpen(cursor, Folder, out _));
    }

    [Fact]
    public void TamperedCursor_DoesNotOpen()
    {
        var cursors = Create();
        var cursor = cursors.Seal("page-2", Folder).ToCharArray();
        cursor[cursor.Length / 2] = cursor[cursor.Length / 2] == 'A' ? 'B' : 'A';
        Assert.False(cursors.TryOpen(new string(cursor), Folder, out _));
    }
}
