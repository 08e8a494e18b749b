namespace Mwap.FakeProviders;

/// <summary>The three storage providers the fake server imitates.</summary>
public enum FakeProvider
{
    Google,
    Dropbox,
    Microsoft,
}
