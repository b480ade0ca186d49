using System.Text.Json;
using Microsoft.Playwright;
using WelfareAudit.Testing;

namespace WelfareAudit.PhonePage.Tests;

/// <summary>
/// axe-core (Deque's accessibility engine, pinned in package.json) run inside the page on its real DOM, for the
/// WCAG 2.2 AA rules (tags wcag2a, wcag2aa, wcag21aa, wcag22aa). It is evaluated through the DevTools protocol,
/// which the page's Content-Security-Policy does not govern, so the page runs with its real CSP.
/// </summary>
public static class AxeAudit
{
    public static readonly string[] WcagAaTags = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"];

    public static string ScriptPath { get; } = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js");

    /// <summary>Each violation as "rule (impact): help — target: summary", one line per element; empty when none.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException(
                $"axe-core is missing at {ScriptPath}; the accessibility tests need it. Install the pinned dev dependencies: npm ci");
        }
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(await File.ReadAllTextAsync(ScriptPath));
        }
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async tags => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return result.violations.flatMap(v => v.nodes.map(n =>
                `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}: ${String(n.failureSummary || '').replace(/\s+/g, ' ')}`));
            }
            """, WcagAaTags);
        return [.. violations.EnumerateArray().Select(v => v.GetString() ?? "")];
    }
}
