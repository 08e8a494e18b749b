using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>
/// The state-signing key: <c>OAuth:StateSecret</c>, or in development a secret generated into <c>data/oauth-state-secret</c>.
/// Production refuses to start without it. Singleton: loaded once.
/// </summary>
internal sealed class OAuthKeys
{
    public OAuthKeys(IOptions<OAuthOptions> options, IHostEnvironment environment, DataPaths paths)
    {
        var secret = options.Value.StateSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException("OAuth:StateSecret is required in Production (at least 32 random characters, e.g. openssl rand -base64 48).");
            }

            var path = paths.File("oauth-state-secret");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            secret = File.ReadAllText(path).Trim();
        }
        else if (secret.Length < 32)
        {
            throw new InvalidOperationException("OAuth:StateSecret must be at least 32 characters.");
        }

        if (environment.IsProduction() && string.IsNullOrWhiteSpace(options.Value.RedirectUri))
        {
            throw new InvalidOperationException("OAuth:RedirectUri is required in Production (the callback URL registered with every provider).");
        }

        StateKey = Encoding.UTF8.GetBytes(secret);
    }

    public byte[] StateKey { get; }
}
