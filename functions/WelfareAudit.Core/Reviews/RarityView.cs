namespace WelfareAudit.Core.Reviews;

/// <summary>The rarity figures against the configured "extremely rare" thresholds (<c>WelfareAudit:Audit</c>).</summary>
public sealed record RarityView(int PerClientThreshold, int PerTherapistThreshold, IReadOnlyList<TherapistRarity> Therapists, IReadOnlyList<ClientRarity> Clients);
