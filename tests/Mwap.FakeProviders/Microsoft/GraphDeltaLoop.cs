namespace Mwap.FakeProviders;

/// <summary>When the fake Graph delta feed repeats a page (see <see cref="FakeProviderState.DeltaPageLoop"/>).</summary>
public enum GraphDeltaLoop
{
    Never,
    WhenTopGiven,
    Always,
}
