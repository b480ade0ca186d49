namespace WelfareAudit.Http;

/// <summary>The request body is not JSON (415).</summary>
public sealed class UnsupportedMediaTypeException() : Exception("The request body must be application/json.");
