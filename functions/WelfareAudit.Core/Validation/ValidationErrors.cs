namespace WelfareAudit.Core.Validation;

/// <summary>
/// Field-named validation errors. Keys are JSON paths as the caller wrote them (camelCase,
/// e.g. <c>crisis.contactAttempts[0].at</c>), so a problem response can point at the bad field.
/// Messages never repeat the submitted value: it may be client data.
/// </summary>
public sealed class ValidationErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
    }

    public bool Contains(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
