namespace WelfareAudit.LocalHost.Tests.Hostile;

/// <summary>
/// The hostile corpus (hundreds of rows, one after another) on a local host and Azurite of its own, so it
/// runs beside the other local host tests instead of before or after them. Its rows use their own therapist
/// and check only that therapist's ledger, so sharing a host would be safe too; a host of its own keeps it obvious.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostileCorpusCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost: hostile corpus";
}
