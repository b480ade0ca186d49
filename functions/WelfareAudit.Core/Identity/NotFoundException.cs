namespace WelfareAudit.Core.Identity;

/// <summary>No such resource visible to this caller (also used for other therapists' searches: no enumeration).</summary>
public sealed class NotFoundException(string message) : Exception(message);
