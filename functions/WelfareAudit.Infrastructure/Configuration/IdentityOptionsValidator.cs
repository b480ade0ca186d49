using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

public sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options) =>
        options.Credential is "ManagedIdentity" or "AzureCli"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("WelfareAudit:Identity:Credential must be ManagedIdentity or AzureCli.");
}
