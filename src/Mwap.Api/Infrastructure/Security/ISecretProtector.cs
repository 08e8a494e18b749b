namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// Encrypts secrets at rest, bound to the row and field that hold them (DESIGN.md §5). The AES-256-GCM key-ring
/// implementation arrives with cloud providers; features depend only on this interface.
/// </summary>
internal interface ISecretProtector
{
    string Protect(string plaintext, SecretContext context);

    string Unprotect(string ciphertext, SecretContext context);
}

/// <summary>Associated data: which table, row and field a ciphertext belongs to.</summary>
internal readonly record struct SecretContext(string Table, string RowId, string Field)
{
    public override string ToString() => $"{Table}/{RowId}/{Field}";
}
