namespace WelfareAudit.Core.Searches;

/// <summary>Computes the keyed blind index of a client code (grouping without storing the code).</summary>
public interface IClientIndexer
{
    Task<string> IndexAsync(string clientRef, CancellationToken cancellationToken);

    /// <summary>
    /// The index of <paramref name="clientRef"/> under the index key <paramref name="keyId"/> (current or older), so
    /// that a client's searches indexed before a key rotation are found without decrypting anything; null when the
    /// key ring holds no index key of that id. The default knows the current key only.
    /// </summary>
    async Task<string?> IndexUnderAsync(string clientRef, string keyId, CancellationToken cancellationToken)
    {
        var current = await IndexAsync(clientRef, cancellationToken);
        return current.StartsWith(keyId + ":", StringComparison.Ordinal) ? current : null;
    }
}
