namespace WelfareAudit.Core.Identity;

/// <summary>The action conflicts with the resource's state (for example, discussing an already discussed search).</summary>
public sealed class ConflictException(string message) : Exception(message);
