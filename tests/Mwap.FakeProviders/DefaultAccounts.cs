namespace Mwap.FakeProviders;

/// <summary>The signed-in user of each fake, with ids in each provider's own format.</summary>
public static class DefaultAccounts
{
    /// <summary>Drive identifies the user by a numeric permissionId.</summary>
    public static FakeAccount Google { get; } = new("06712345678901234567", "alice.fake@gmail.example", "Alice Fake");

    public static FakeAccount Dropbox { get; } = new("dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", "alice.fake@dropbox.example", "Alice Fake");

    /// <summary>Personal Microsoft accounts have a 16-hex-digit user id.</summary>
    public static FakeAccount Microsoft { get; } = new("4f2c9a7be18d3c05", "alice.fake@outlook.example", "Alice Fake");
}
