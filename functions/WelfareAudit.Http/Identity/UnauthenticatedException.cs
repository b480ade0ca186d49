namespace WelfareAudit.Http.Identity;

/// <summary>The caller could not be identified (no header, an untrusted one, or a malformed one).</summary>
public sealed class UnauthenticatedException(string message) : Exception(message);
