using System.Net;

namespace WelfareAudit.Http.Identity;

/// <summary>The addresses of the TCP connection, as accepted by the server (see <see cref="RequestOrigin.CaptureSocket"/>).</summary>
public sealed record SocketEndPoints(IPAddress? Remote, int LocalPort);
