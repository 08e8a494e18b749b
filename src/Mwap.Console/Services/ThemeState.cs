using Microsoft.JSInterop;

namespace Mwap.WebConsole.Services;

/// <summary>Light or dark, following the browser until the user picks one (kept in local storage).</summary>
public sealed class ThemeState(IJSRuntime js)
{
    private const string StorageKey = "mwap-theme";

    public bool IsDark { get; private set; }

    public event Action? Changed;

    public async Task LoadAsync()
    {
        var stored = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
        IsDark = stored is null ? await js.InvokeAsync<bool>("mwapConsole.prefersDark") : stored == "dark";
        Changed?.Invoke();
    }

    public async Task ToggleAsync()
    {
        IsDark = !IsDark;
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, IsDark ? "dark" : "light");
        Changed?.Invoke();
    }
}
