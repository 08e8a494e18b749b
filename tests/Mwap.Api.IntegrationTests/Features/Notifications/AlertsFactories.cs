using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Notifications;

/// <summary>The server with the fake providers and a local SMTP server (plain, port of its own) receiving its mail.</summary>
public sealed class AlertsApiFactory : ConnectFlowApiFactory
{
    public SmtpSink Smtp { get; } = SmtpSink.Start();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = "MWAP Alerts <alerts@mwap.test>",
        ["Smtp:Security"] = "none",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>SMTP configured on a port where nothing listens (until a test starts a server there), with credentials.</summary>
public sealed class SmtpDownApiFactory : ConnectFlowApiFactory
{
    public const string Password = "smtp-pass-do-not-leak-91c2";

    public int SmtpPort { get; } = SmtpSink.ClosedPort();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = "alerts@mwap.test",
        ["Smtp:Username"] = "mwap",
        ["Smtp:Password"] = Password,
        ["Smtp:Security"] = "none",
        ["Smtp:TimeoutSeconds"] = "5",
        ["Alerts:MaxEmailAttempts"] = "2",
    };
}
