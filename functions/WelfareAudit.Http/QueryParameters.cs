using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http;

/// <summary>Strict query strings: only the route's parameters, each at most once; every other one is refused by name.</summary>
public static class QueryParameters
{
    /// <summary>The value of each allowed parameter that is present (absent ones are missing from the result).</summary>
    public static IReadOnlyDictionary<string, string?> Single(IQueryCollection query, IReadOnlyCollection<string> allowed, string what)
    {
        var errors = new ValidationErrors();
        var values = allowed.ToDictionary(a => a, _ => (string?)null, StringComparer.Ordinal);
        foreach (var (name, given) in query)
        {
            if (!values.ContainsKey(name))
            {
                // The name is the caller's text: echo it only when it is a plain identifier.
                var field = name.Length is > 0 and <= 64 && name.All(char.IsAsciiLetterOrDigit) ? name : "$query";
                errors.Add(field, allowed.Count == 0
                    ? $"is not a parameter of {what} (it takes none)"
                    : $"is not a parameter of {what} ({string.Join(", ", allowed)})");
            }
            else if (given.Count > 1)
            {
                errors.Add(name, "must be given once");
            }
            else
            {
                values[name] = given[0];
            }
        }
        return errors.IsEmpty ? values : throw new ValidationFailedException(errors);
    }
}
