namespace WelfareAudit.Core.Audit;

/// <summary>Thresholds of the readable exports (CSV, HTML), from <c>WelfareAudit:Audit</c>.</summary>
public sealed class AuditReportOptions
{
    /// <summary>A search not yet discussed is overdue once its next session has passed, or, with no session known, after this many days.</summary>
    public int OverdueAfterDays { get; set; } = 14;

    /// <summary>
    /// The policy calls these searches "extremely rare": more searches than this for one client within
    /// 365 days raise the rarity flag.
    /// </summary>
    public int RarityMaxPerClientPerYear { get; set; } = 1;

    /// <summary>More searches than this by one therapist within one calendar quarter raise the rarity flag.</summary>
    public int RarityMaxPerTherapistPerQuarter { get; set; } = 2;
}
