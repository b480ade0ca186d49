namespace WelfareAudit.Core.Searches;

/// <summary>Computes the keyed blind index of a client code (grouping without storing the code).</summary>
public interface IClientIndexer
{
    Task<string> IndexAsync(string clientRef, CancellationToken cancellationToken);
}
