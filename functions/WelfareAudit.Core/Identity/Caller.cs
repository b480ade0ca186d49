namespace WelfareAudit.Core.Identity;

/// <summary>An authenticated caller. <see cref="ObjectId"/> is the stable principal id and the id of their ledger.</summary>
public sealed record Caller(string ObjectId, IReadOnlySet<Role> Roles)
{
    public bool Is(Role role) => Roles.Contains(role);
}
