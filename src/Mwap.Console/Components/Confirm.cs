using MudBlazor;

namespace Mwap.WebConsole.Components;

/// <summary>The one confirmation before a destructive action: says what will happen and waits for a yes.</summary>
public static class Confirm
{
    public static async Task<bool> AskAsync(IDialogService dialogs, string title, string consequence, string action) =>
        await dialogs.ShowMessageBoxAsync(title, consequence, yesText: action, cancelText: "Cancel") == true;
}
