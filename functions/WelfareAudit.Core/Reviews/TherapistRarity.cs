namespace WelfareAudit.Core.Reviews;

/// <summary>A therapist's searches in the oversight window, flagged when a calendar quarter exceeds the threshold.</summary>
public sealed record TherapistRarity(string Therapist, int Searches, bool Over);
