using System.Text.Json;
using Microsoft.Playwright;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// axe-core (the npm package in the repository's package.json, installed by <c>npm ci</c>) run inside the page, and
/// the text-size and reflow checks of WCAG 1.4.4 and 1.4.10. The script is evaluated through the DevTools protocol,
/// so the page's Content-Security-Policy stays as served.
/// </summary>
public static class Accessibility
{
    /// <summary>The WCAG 2.2 AA rule set: A and AA of 2.0, 2.1 and 2.2.</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(RepositoryRoot(), "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"axe-core is not installed ({path} is missing): run `npm ci` in the repository root.");
        }
        return File.ReadAllText(path);
    });

    /// <summary>The repository root: the first folder up from the test binaries that holds package.json.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "docs")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root (package.json) above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Runs axe on the page as it is; returns one line per violation (rule, impact, the first elements). axe waits on
    /// timers: never call it while the page's clock is paused.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async tags => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """, Tags);
        return [.. result.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Sets the root font size (100 = the browser's default), as a user's text-size setting does.</summary>
    public static Task SetTextSizeAsync(IPage page, int percent) =>
        page.EvaluateAsync("p => { document.documentElement.style.fontSize = `${p}%`; }", percent);

    /// <summary>How far the page scrolls sideways, in CSS pixels (0 when it does not), and the widest culprits.</summary>
    public static Task<string> HorizontalOverflowAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => {
          const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          if (over <= 0) { return ''; }
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className}`);
          return `${over}px: ${wide.join(', ')}`;
        }
        """);
}
