using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Import;

/// <summary>
/// Carries one MWAP secret over: decrypted with the legacy key and encrypted again under our key ring, bound to its
/// new row and field. Nothing that fails is ever stored or printed; the caller decides what the row becomes without it.
/// </summary>
internal static class SecretCarrier
{
    /// <summary>The new ciphertext, or null with the reason (no value is not a failure: both are null then).</summary>
    public static string? Carry(ImportRun run, ImportReport delta, string? stored, SecretContext context, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        switch (run.Legacy.TryDecrypt(stored, out var plaintext))
        {
            case LegacySecrets.Outcome.Decrypted:
                delta.SecretsReencrypted++;
                return run.Protector.Protect(plaintext, context);
            case LegacySecrets.Outcome.NotEncrypted:
                problem = $"{context.Field} was stored in plain text by MWAP; not imported";
                return null;
            default:
                problem = run.Legacy.HasKey
                    ? $"{context.Field} does not decrypt with the legacy key"
                    : $"{context.Field} is encrypted and no legacy key was given (--legacy-key or --legacy-key-env)";
                return null;
        }
    }

    /// <summary>How the secrets came out, folded into the fingerprint: a re-run with the right key then updates the row.</summary>
    public static string Outcome(string? problem) => problem is null ? "secrets:ok" : "secrets:missing";
}
