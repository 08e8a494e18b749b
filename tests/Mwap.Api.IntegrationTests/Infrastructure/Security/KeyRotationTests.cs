using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.IntegrationTests.Infrastructure.Security;

/// <summary>A server whose secrets are under key k1 (configured, as in production).</summary>
public sealed class KeyRingApiFactory : MwapApiFactory
{
    public static readonly string K1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string K2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Encryption:ActiveKeyId"] = "k1",
        ["Encryption:Keys:k1"] = K1,
    };
}

/// <summary><c>keys rotate</c>: every secret ends under the active key; interruption leaves everything decryptable.</summary>
public sealed class KeyRotationTests(KeyRingApiFactory factory) : IClassFixture<KeyRingApiFactory>
{
    private static readonly Dictionary<string, string> Both = new() { ["k1"] = KeyRingApiFactory.K1, ["k2"] = KeyRingApiFactory.K2 };

    private SecretProtector Protector(string active, Dictionary<string, string> keys) =>
        new(Options.Create(new EncryptionOptions { ActiveKeyId = active, Keys = keys }),
            factory.Services.GetRequiredService<IHostEnvironment>(), factory.Services.GetRequiredService<DataPaths>());

    private async Task<SecretRotation.Result> RotateAsync(SecretProtector protector, int batchSize, Action<SecretRotation.Progress>? report = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var rotation = new SecretRotation(db, protector, scope.ServiceProvider.GetRequiredService<IAuditLog>(), NullLogger<SecretRotation>.Instance);
        return await rotation.RotateAsync(batchSize, report ?? (_ => { }), CancellationToken.None);
    }

    private async Task<Dictionary<string, string>> SeedAsync()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var secrets = new Dictionary<string, string>();
        for (var i = 0; i < 5; i++)
        {
            var secret = $"secret-{i}-{Guid.NewGuid():N}";
            secrets[(await admin.CreateProviderAsync(secret: secret)).GetProperty("_id").GetString()!] = secret;
        }

        return secrets;
    }

    private Task<List<CloudProvider>> ProvidersAsync() => factory.WithDbAsync(db => db.Set<CloudProvider>().AsNoTracking().ToListAsync());

    [Fact]
    public async Task Rotate_ReencryptsEverySecretUnderTheActiveKey_AndOnlyItIsThenNeeded()
    {
        var secrets = await SeedAsync();
        var integration = await SeedIntegrationWithTokensAsync();
        Assert.All((await ProvidersAsync()).Where(p => secrets.ContainsKey(p.Id)),
            p => Assert.StartsWith("mwap:v1:k1:", p.EncryptedClientSecret, StringComparison.Ordinal));

        var progress = new List<SecretRotation.Progress>();
        var result = await RotateAsync(Protector("k2", Both), batchSize: 2, progress.Add);

        Assert.Equal(0, result.Failed);
        Assert.Contains(progress, p => p.Column == "cloud_providers.client_secret" && p.Done == p.Total && p.Total >= 5);
        var onlyK2 = Protector("k2", new() { ["k2"] = KeyRingApiFactory.K2 });
        foreach (var provider in await ProvidersAsync())
        {
            Assert.StartsWith("mwap:v1:k2:", provider.EncryptedClientSecret, StringComparison.Ordinal);
            var plain = onlyK2.Unprotect(provider.EncryptedClientSecret, provider.ClientSecretContext);
            if (secrets.TryGetValue(provider.Id, out var expected))
            {
                Assert.Equal(expected, plain);
            }
        }

        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == integration));
        Assert.Equal("access-token-value", onlyK2.Unprotect(stored.EncryptedAccessToken!, new SecretContext(CloudIntegration.TableName, integration, "access_token")));
        Assert.Equal("refresh-token-value", onlyK2.Unprotect(stored.EncryptedRefreshToken!, new SecretContext(CloudIntegration.TableName, integration, "refresh_token")));

        Assert.Equal(new SecretRotation.Result(0, 0), await RotateAsync(Protector("k2", Both), batchSize: 2));
    }

    [Fact]
    public async Task InterruptedRotation_LeavesEverythingDecryptable_AndARerunFinishes()
    {
        var seeded = await SeedAsync();
        var protector = Protector("k2", Both);
        // Rows are rotated oldest id first; other tests' rows still under k1 come before ours. Stop after two of ours.
        var othersPending = (await ProvidersAsync()).Count(p => !seeded.ContainsKey(p.Id) && !p.EncryptedClientSecret.StartsWith("mwap:v1:k2:", StringComparison.Ordinal));
        await Assert.ThrowsAsync<OperationCanceledException>(() => RotateAsync(protector, batchSize: 1, p =>
        {
            if (p.Column == "cloud_providers.client_secret" && p.Done >= othersPending + 2)
            {
                throw new OperationCanceledException("killed mid-rotation");
            }
        }));

        var mixed = (await ProvidersAsync()).Where(p => seeded.ContainsKey(p.Id)).ToList();
        Assert.Contains(mixed, p => p.EncryptedClientSecret.StartsWith("mwap:v1:k1:", StringComparison.Ordinal));
        Assert.Contains(mixed, p => p.EncryptedClientSecret.StartsWith("mwap:v1:k2:", StringComparison.Ordinal));
        Assert.All(mixed, p => protector.Unprotect(p.EncryptedClientSecret, p.ClientSecretContext));

        var rerun = await RotateAsync(protector, batchSize: 1);
        Assert.Equal(0, rerun.Failed);
        Assert.All(await ProvidersAsync(), p => Assert.StartsWith("mwap:v1:k2:", p.EncryptedClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TamperedOrMovedSecret_IsLeftUnchanged_Reported_AndAudited()
    {
        var secrets = await SeedAsync();
        var ids = secrets.Keys.ToList();
        // Copy one row's ciphertext onto another row: the associated data no longer matches.
        await factory.WithDbAsync(async db =>
        {
            var source = await db.Set<CloudProvider>().SingleAsync(p => p.Id == ids[0]);
            var target = await db.Set<CloudProvider>().SingleAsync(p => p.Id == ids[1]);
            target.EncryptedClientSecret = source.EncryptedClientSecret;
            return await db.SaveChangesAsync();
        });
        var movedValue = await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == ids[1]).Select(p => p.EncryptedClientSecret).SingleAsync());

        var result = await RotateAsync(Protector("k2", Both), batchSize: 10);

        Assert.True(result.Failed >= 1);
        Assert.Equal(movedValue, await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == ids[1]).Select(p => p.EncryptedClientSecret).SingleAsync()));
        var audit = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.Action == "secret.decrypt.failed" && a.TargetId == ids[1]).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("failure", entry.Outcome);
        Assert.DoesNotContain(secrets[ids[0]], entry.Details, StringComparison.Ordinal);

        // Leave the shared database without the broken row, so other tests' rotations stay clean.
        await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == ids[1]).ExecuteDeleteAsync());
    }

    private async Task<string> SeedIntegrationWithTokensAsync()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var k1 = Protector("k1", new() { ["k1"] = KeyRingApiFactory.K1 });
        await factory.WithDbAsync(async db =>
        {
            var integration = await db.Set<CloudIntegration>().SingleAsync(i => i.Id == setup.IntegrationId);
            integration.EncryptedAccessToken = k1.Protect("access-token-value", new SecretContext(CloudIntegration.TableName, integration.Id, "access_token"));
            integration.EncryptedRefreshToken = k1.Protect("refresh-token-value", new SecretContext(CloudIntegration.TableName, integration.Id, "refresh_token"));
            return await db.SaveChangesAsync();
        });
        return setup.IntegrationId;
    }
}
