namespace WelfareAudit.Infrastructure.Reminders;

public sealed class SmtpSettings
{
    /// <summary>Empty: no email channel.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c> (implicit TLS, port 465), <c>Auto</c>, or <c>None</c> (local test servers only).</summary>
    public string Security { get; set; } = "StartTls";

    public string? From { get; set; }

    public string? Username { get; set; }

    /// <summary>In Azure, an app setting holding a Key Vault reference (<c>@Microsoft.KeyVault(...)</c>), never the password itself.</summary>
    public string? Password { get; set; }
}
