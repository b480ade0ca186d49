namespace WelfareAudit.Infrastructure.Crypto;

/// <summary>
/// The key store answered, and it holds no key of this purpose with this id (or the id cannot be one of
/// its ids). Ids come from stored envelopes, so for stored data this means the id was altered (or a key
/// version was deleted, which the key rules forbid): a finding about the data, not an outage.
/// </summary>
public sealed class UnknownKeyIdException(string message, Exception? inner = null) : KeyUnavailableException(message, inner);
