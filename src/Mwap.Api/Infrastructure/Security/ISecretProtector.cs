namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// Encrypts secrets at rest, bound to the row and field that hold them (DESIGN.md §5). Every secret the server
/// stores goes through this one interface.
/// </summary>
internal interface ISecretProtector
{
    /// <summary>Encrypts under the active key: <c>mwap:v1:{keyId}:{base64(nonce ‖ ciphertext ‖ tag)}</c>.</summary>
    string Protect(string plaintext, SecretContext context);

    /// <summary>Decrypts, or throws <see cref="SecretUnavailableException"/>: never returns anything but the true plaintext.</summary>
    string Unprotect(string envelope, SecretContext context);

    /// <summary>True when <paramref name="envelope"/> is already under the active key (nothing for a rotation to do).</summary>
    bool IsUnderActiveKey(string envelope);
}

/// <summary>Associated data: which table, row and field a ciphertext belongs to, so it cannot be moved elsewhere.</summary>
internal readonly record struct SecretContext(string Table, string RowId, string Field)
{
    public override string ToString() => $"{Table}/{RowId}/{Field}";
}

/// <summary>A stored secret that cannot be decrypted: tampered, moved to another row, or under an unknown key. Fails closed.</summary>
internal sealed class SecretUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
