using Microsoft.Extensions.Options;

namespace WelfareAudit.Http;

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
