namespace WelfareAudit.Core.Searches;

/// <summary>A usual channel through which the therapist tried, and failed, to reach the client.</summary>
public enum ContactChannel
{
    MissedAppointment,
    Phone,
    Email,
    EmergencyContact,
    Other,
}
