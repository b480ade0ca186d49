namespace WelfareAudit.Http;

/// <summary>Who may call a route. Every route but <see cref="Anonymous"/> ones resolves the caller first.</summary>
public enum RouteAccess
{
    /// <summary>No identity (health, the phone page).</summary>
    Anonymous,

    /// <summary>Any identified caller, whatever their roles.</summary>
    AnyCaller,

    Therapist,

    TherapistOrSupervisor,

    Supervisor,
}
