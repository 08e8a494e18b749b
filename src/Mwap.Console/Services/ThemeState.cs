using Microsoft.JSInterop;

namespace Mwap.WebConsole.Services;

/// <summary>Light or dark, following the browser until the user picks one (kept in local storage).</summary>
public sealed class ThemeState(IJSRuntime js)
{
    private const string StorageKey = "mwap-theme";

    public bool IsDark { get; private set; }

    public event Action? Changed;

    /// <summary>
    /// In the browser the runtime answers synchronously, so the layout's first render already has the theme (an
    /// asynchronous read would render the whole layout a second time at start).
    /// </summary>
    public async Task LoadAsync()
    {
        bool dark;
        if (js is IJSInProcessRuntime local)
        {
            var stored = local.Invoke<string?>("localStorage.getItem", StorageKey);
            dark = stored is null ? local.Invoke<bool>("mwapConsole.prefersDark") : stored == "dark";
        }
        else
        {
            var stored = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
            dark = stored is null ? await js.InvokeAsync<bool>("mwapConsole.prefersDark") : stored == "dark";
        }

        if (dark != IsDark)
        {
            IsDark = dark;
            Changed?.Invoke();
        }
    }

    public async Task ToggleAsync()
    {
        IsDark = !IsDark;
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, IsDark ? "dark" : "light");
        Changed?.Invoke();
    }
}
