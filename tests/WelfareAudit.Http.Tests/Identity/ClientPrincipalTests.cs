using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Identity;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.Http.Tests.Identity;

/// <summary>
/// The X-MS-CLIENT-PRINCIPAL header as App Service Authentication writes it (the schema documented in
/// "Work with user identities in Azure App Service authentication": base64 of
/// {auth_typ, claims:[{typ,val}], name_typ, role_typ}), with Entra ID's claim names.
/// </summary>
public class ClientPrincipalTests
{
    private const string Oid = "8a3f2c1e-5b7d-4e9f-a1c2-3d4e5f6a7b8c";

    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    // Shape of a real Entra ID principal behind App Service Authentication (values invented).
    private static string EntraPrincipal(string roleType, string roleClaimType, params string[] roles) => B64($$"""
        {"auth_typ":"aad","claims":[
          {"typ":"aud","val":"11111111-2222-3333-4444-555555555555"},
          {"typ":"iss","val":"https://login.microsoftonline.com/99999999-8888-7777-6666-555555555555/v2.0"},
          {"typ":"iat","val":"1764000000"},
          {"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","val":"therapist@practice.example"},
          {"typ":"name","val":"Dr. Example"},
          {"typ":"{{ClientPrincipal.ObjectIdClaim}}","val":"{{Oid}}"},
          {{string.Join(",", roles.Select(r => $$"""{"typ":"{{roleClaimType}}","val":"{{r}}"}"""))}}{{(roles.Length > 0 ? "," : "")}}
          {"typ":"http://schemas.microsoft.com/identity/claims/tenantid","val":"99999999-8888-7777-6666-555555555555"}
        ],"name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","role_typ":"{{roleType}}"}
        """);

    [Fact]
    public void TryParse_EntraPrincipalWithRolesClaims_ReadsObjectIdAndRoles()
    {
        var caller = ClientPrincipal.TryParse(EntraPrincipal("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "roles", "Therapist", "Supervisor"));

        Assert.NotNull(caller);
        Assert.Equal(Oid, caller.ObjectId);
        Assert.True(caller.Is(Role.Therapist));
        Assert.True(caller.Is(Role.Supervisor));
    }

    [Fact]
    public void TryParse_RoleClaimsOfTheDeclaredRoleType_AreRoles()
    {
        const string roleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

        var caller = ClientPrincipal.TryParse(EntraPrincipal(roleType, roleType, "Supervisor"));

        Assert.Equal([Role.Supervisor], caller!.Roles);
    }

    [Fact]
    public void TryParse_UnknownOrMiscasedRoles_AreIgnored()
    {
        var caller = ClientPrincipal.TryParse(EntraPrincipal("roles", "roles", "Admin", "therapist", "1"));

        Assert.NotNull(caller);
        Assert.Empty(caller.Roles);
    }

    [Fact]
    public void TryParse_RoleNamedLikeAClaimTypeButOtherType_IsNotARole()
    {
        var caller = ClientPrincipal.TryParse(EntraPrincipal("roles", "groups", "Therapist"));

        Assert.Empty(caller!.Roles);
    }

    [Fact]
    public void Encode_ThenTryParse_RoundTrips()
    {
        var caller = ClientPrincipal.TryParse(ClientPrincipal.Encode(Oid, Role.Therapist));

        Assert.Equal(Oid, caller!.ObjectId);
        Assert.Equal([Role.Therapist], caller.Roles);
    }

    public static TheoryData<string?> Malformed() => new()
    {
        null,
        "",
        "not base64 at all!",
        B64("[]"),
        B64("{}"),
        B64("""{"auth_typ":"aad","claims":null}"""),
        B64("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Therapist"}]}"""),
        B64("""{"auth_typ":"aad","claims":[{"typ":"oid","val":10000}]}"""),
        B64("""{"auth_typ":"aad","claims":[{"typ":"oid","val":"a/b"}]}"""),
        B64("""{"auth_typ":"aad","claims":[{"typ":"oid","val":"x' or PartitionKey ne '"}]}"""),
        B64("""{"identityProvider":"aad","userId":"8a3f2c1e","userDetails":"x","userRoles":["Therapist"]}"""),
        B64("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"oid\",\"val\":\"" + new string('a', 20_000) + "\"}]}"),
        Convert.ToBase64String([0xff, 0xfe, 0x00, 0x7b]),
        B64(new string('[', 100) + new string(']', 100)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_MalformedOrIncomplete_IsNull(string? header)
    {
        Assert.Null(ClientPrincipal.TryParse(header));
    }

    /// <summary>
    /// A request as the local host sees it: the socket's addresses captured before any middleware
    /// (<see cref="RequestOrigin.CaptureSocket"/>) and a Host that names this machine and port.
    /// </summary>
    private static DefaultHttpContext Context(string? header, string remoteIp, string host = "127.0.0.1:7071")
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remoteIp);
        context.Connection.LocalPort = 7071;
        context.Request.Host = new HostString(host);
        RequestOrigin.CaptureSocket(context);
        if (header is not null)
        {
            context.Request.Headers[ClientPrincipal.HeaderName] = header;
        }
        return context;
    }

    [Theory]
    [InlineData("rebound.attacker.example:7071")]
    [InlineData("localhost:8080")]
    [InlineData("127.0.0.1")]
    public void Resolve_LoopbackSocketForeignHost_Forbidden(string host)
    {
        var resolver = new CallerResolver(new IdentityTrustOptions { TrustLoopback = true });

        var refused = Assert.Throws<ForbiddenException>(() => resolver.Resolve(Context(ClientPrincipal.Encode(Oid, Role.Therapist), "127.0.0.1", host)));

        Assert.Equal(RequestOrigin.ForeignHost, refused.Message);
    }

    [Fact]
    public void Resolve_ConnectionRewrittenAfterTheCapture_TheSocketDecides()
    {
        var resolver = new CallerResolver(new IdentityTrustOptions { TrustLoopback = true });
        var context = Context(ClientPrincipal.Encode(Oid, Role.Therapist), "203.0.113.7");

        // What the forwarded-headers middleware does with "X-Forwarded-For: 127.0.0.1".
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        Assert.Throws<UnauthenticatedException>(() => resolver.Resolve(context));
    }

    [Theory]
    [InlineData(true, false, "203.0.113.7", true)]
    [InlineData(false, false, "127.0.0.1", false)]
    [InlineData(false, true, "127.0.0.1", true)]
    [InlineData(false, true, "::1", true)]
    [InlineData(false, true, "10.0.0.5", false)]
    [InlineData(false, true, "203.0.113.7", false)]
    public void Resolve_TrustRules_DecideWhetherTheHeaderIsBelieved(bool platformAuth, bool trustLoopback, string remoteIp, bool accepted)
    {
        var resolver = new CallerResolver(new IdentityTrustOptions { PlatformAuthEnabled = platformAuth, TrustLoopback = trustLoopback });
        var context = Context(ClientPrincipal.Encode(Oid, Role.Therapist), remoteIp);

        if (accepted)
        {
            Assert.Equal(Oid, resolver.Resolve(context).ObjectId);
        }
        else
        {
            Assert.Throws<UnauthenticatedException>(() => resolver.Resolve(context));
        }
    }

    [Fact]
    public void Resolve_TwoPrincipalHeaders_IsRefused()
    {
        var resolver = new CallerResolver(new IdentityTrustOptions { PlatformAuthEnabled = true });
        var context = Context(null, "127.0.0.1");
        context.Request.Headers[ClientPrincipal.HeaderName] = new Microsoft.Extensions.Primitives.StringValues([ClientPrincipal.Encode(Oid, Role.Therapist), ClientPrincipal.Encode("other", Role.Supervisor)]);

        Assert.Throws<UnauthenticatedException>(() => resolver.Resolve(context));
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("1", false)]
    public void PlatformSaysAuthIsOn_ReadsWebsiteAuthEnabled(string? value, bool on)
    {
        Assert.Equal(on, IdentityTrustOptions.PlatformSaysAuthIsOn(value));
    }
}
