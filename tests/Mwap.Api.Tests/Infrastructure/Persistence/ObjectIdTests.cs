using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Tests.Infrastructure.Persistence;

public sealed class ObjectIdTests
{
    [Fact]
    public void NewId_Is24LowercaseHex()
    {
        Assert.Matches("^[0-9a-f]{24}$", ObjectId.NewId());
    }

    [Fact]
    public void NewId_StartsWithBigEndianSeconds()
    {
        var at = new DateTimeOffset(2025, 10, 9, 8, 15, 30, TimeSpan.Zero);
        var id = ObjectId.NewId(at);
        Assert.Equal(at.ToUnixTimeSeconds(), Convert.ToInt64(id[..8], 16));
    }

    [Fact]
    public void NewIds_AreUniqueAndOrderedWithinASecond()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(_ => ObjectId.NewId(at)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("66fd1e2b9c3a4b0012345678", true)]
    [InlineData("66FD1E2B9C3A4B0012345678", true)]
    [InlineData("66fd1e2b9c3a4b001234567", false)]
    [InlineData("66fd1e2b9c3a4b00123456789", false)]
    [InlineData("66fd1e2b9c3a4b001234567g", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_AcceptsOnly24Hex(string? value, bool expected) => Assert.Equal(expected, ObjectId.IsValid(value));
}
