namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// <c>WelfareAudit:Checkpoints</c>: the WORM container every checkpoint is also written to (docs/ledger-format.md §14).
/// In Azure <see cref="ContainerUri"/> (app setting <c>WelfareAudit__Checkpoints__ContainerUri</c>, set by infra/), reached
/// with the app's managed identity; in development <see cref="ConnectionString"/> (Azurite) and <see cref="ContainerName"/>.
/// Neither set (or an empty URI, as infra/ sets it when the container is not deployed): anchoring is off.
/// </summary>
public sealed class CheckpointAnchorOptions
{
    public const string Section = "WelfareAudit:Checkpoints";

    /// <summary>The container's https URI, <c>https://{account}.blob.core.windows.net/checkpoints</c>.</summary>
    public string? ContainerUri { get; set; }

    /// <summary>A connection string: development against Azurite only (the container is created if it does not exist).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container's name with <see cref="ConnectionString"/>.</summary>
    public string ContainerName { get; set; } = "checkpoints";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ContainerUri) || !string.IsNullOrWhiteSpace(ConnectionString);
}
