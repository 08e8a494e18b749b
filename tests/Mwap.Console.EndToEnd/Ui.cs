using Microsoft.Playwright;

namespace Mwap.Console.EndToEnd;

/// <summary>Finds the console's elements by their <c>data-test</c> names, wherever the component library puts the attribute.</summary>
internal static class Ui
{
    public static ILocator Test(this IPage page, string name) => page.Locator($"[data-test={name}]");

    public static ILocator Input(this IPage page, string name) =>
        page.Locator($"input[data-test={name}], textarea[data-test={name}], [data-test={name}] input, [data-test={name}] textarea").First;

    public static Task FillTestAsync(this IPage page, string name, string value) => page.Input(name).FillAsync(value);

    /// <summary>Opens a select and picks the option that reads <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(this IPage page, string name, string text)
    {
        // The input itself: the select's outer box is wider than the control, so its centre may be empty space.
        await page.Locator($"input[data-test={name}], [data-test={name}] input").First.ClickAsync();
        try
        {
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = text }).First.ClickAsync(new LocatorClickOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            System.Console.Error.WriteLine("SELECT: " + await page.Locator($".mud-select:has([data-test={name}]), .mud-select[data-test={name}]").First.EvaluateAsync<string>("e => e.outerHTML"));
            System.Console.Error.WriteLine("POPOVERS: " + await page.EvaluateAsync<string>("() => Array.from(document.querySelectorAll('.mud-popover')).map(e => e.outerHTML.slice(0, 1500)).join('\n')"));
            throw;
        }

        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
    }

    public static async Task ShotAsync(this IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot(), "docs", "console");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mwap.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mwap.slnx not found above " + AppContext.BaseDirectory);
    }
}
