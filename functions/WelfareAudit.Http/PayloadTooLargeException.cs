namespace WelfareAudit.Http;

/// <summary>The request body is over the limit (413).</summary>
public sealed class PayloadTooLargeException() : Exception($"The request body is larger than {RequestBody.MaxBytes} bytes.");
