namespace Mwap.FakeProviders;

/// <summary>How <see cref="FakeProviderServer.StartAsync"/> starts the fake server.</summary>
public sealed class FakeProviderOptions
{
    /// <summary>Kestrel address; port 0 picks a free port, which is what parallel tests want.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Clock for token and link expiry; pass a <c>FakeTimeProvider</c> to move time in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Fill each account with a few folders and files, so a standalone run has something to browse.</summary>
    public bool SeedSampleFiles { get; set; }

    /// <summary>Write one console line per request (the standalone program turns this on).</summary>
    public bool LogRequests { get; set; }
}
