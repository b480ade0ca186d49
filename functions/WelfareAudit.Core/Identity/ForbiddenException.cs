namespace WelfareAudit.Core.Identity;

/// <summary>The caller lacks the role for the action.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
