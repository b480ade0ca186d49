namespace WelfareAudit.Core.Identity;

public enum Role
{
    /// <summary>Logs, sees and updates their own searches.</summary>
    Therapist,

    /// <summary>Reads every ledger of the practice, exports, verifies, reviews.</summary>
    Supervisor,
}

/// <summary>An authenticated caller. <see cref="ObjectId"/> is the stable principal id and the id of their ledger.</summary>
public sealed record Caller(string ObjectId, IReadOnlySet<Role> Roles)
{
    public bool Is(Role role) => Roles.Contains(role);
}

/// <summary>The caller lacks the role for the action.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>No such resource visible to this caller (also used for other therapists' searches: no enumeration).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The action conflicts with the resource's state (for example, discussing an already discussed search).</summary>
public sealed class ConflictException(string message) : Exception(message);
