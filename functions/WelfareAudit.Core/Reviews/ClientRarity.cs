namespace WelfareAudit.Core.Reviews;

/// <summary>One client's searches in the oversight window, under a per-response pseudonym (never the client code).</summary>
public sealed record ClientRarity(string Client, string Therapist, int Searches, bool Over);
