using System.Text.RegularExpressions;
using WelfareAudit.Deployment.Tests.Support;
using WelfareAudit.Testing;

namespace WelfareAudit.Deployment.Tests;

/// <summary>The app registration docs/deploy.md creates, against what the template expects of it.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed partial class DeployGuideRegistrationTests(CompiledTemplateFixture compiled)
{
    [Fact]
    public void Registration_DeployGuide_SetsTheAccessTokenVersionTheTemplateAcceptsByDefault()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "deploy.md"));
        var parameter = compiled.Template.Root["parameters"]?["accessTokenAcceptedVersion"];

        // Left unset, a registration issues v1 access tokens (issuer https://sts.windows.net/{tenant}/), which App
        // Service Authentication refuses when it expects the v2 issuer: the guide must set the version explicitly.
        var set = RequestedVersion().Match(guide);
        Assert.True(set.Success, "docs/deploy.md does not set the registration's api.requestedAccessTokenVersion");
        Assert.NotNull(parameter);
        Assert.Equal(int.Parse(set.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), parameter["defaultValue"]!.GetValue<int>());
        Assert.Equal([1, 2], parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()));
    }

    [GeneratedRegex(@"""requestedAccessTokenVersion"":\s*(\d)")]
    private static partial Regex RequestedVersion();
}
