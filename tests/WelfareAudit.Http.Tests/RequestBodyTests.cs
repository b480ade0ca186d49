using System.Text;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http.Tests;

public class RequestBodyTests
{
    private static DefaultHttpContext Request(string body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentType = contentType;
        return context;
    }

    [Theory]
    [InlineData("$", "$")]
    [InlineData(null, "$")]
    [InlineData("$.crisis.contactAttempts[0].at", "crisis.contactAttempts[0].at")]
    [InlineData("$.clientRef", "clientRef")]
    public void FieldOf_JsonPath_IsTheCallersFieldName(string? path, string field)
    {
        Assert.Equal(field, RequestBody.FieldOf(path));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task ReadAsync_JsonContentTypes_Accepted(string contentType)
    {
        var (draft, _) = await RequestBody.ReadAsync<NextSessionDraft>(Request("""{"nextSessionAt":null}""", contentType).Request, default);

        Assert.NotNull(draft);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/json")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("multipart/form-data")]
    public async Task ReadAsync_OtherContentTypes_Unsupported(string? contentType)
    {
        await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => RequestBody.ReadAsync<NextSessionDraft>(Request("{}", contentType).Request, default));
    }

    [Theory]
    [InlineData("""{"nextSessionAt":"2026-01-01T00:00:00Z","nextSessionAt":null}""", "nextSessionAt")]
    [InlineData("""{"next":1}""", "$")]
    [InlineData("""{"nextSessionAt":12}""", "nextSessionAt")]
    [InlineData("""{"nextSessionAt":null,}""", "$")]
    [InlineData("""{/*c*/"nextSessionAt":null}""", "$")]
    public async Task ReadAsync_DuplicateUnknownWrongTypeOrLooseJson_NamesTheField(string body, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => RequestBody.ReadAsync<NextSessionDraft>(Request(body).Request, default));

        Assert.True(e.Errors.Contains(field), string.Join(",", e.Errors.ToDictionary().Keys));
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_IsA400NotACrash()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        context.Request.ContentType = "application/json";

        await Assert.ThrowsAsync<ValidationFailedException>(() => RequestBody.ReadAsync<NextSessionDraft>(context.Request, default));
    }

    [Fact]
    public async Task ReadAsync_DeepNesting_IsRefused()
    {
        var deep = "{\"crisis\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";

        await Assert.ThrowsAsync<ValidationFailedException>(() => RequestBody.ReadAsync<CrisisSearchDraft>(Request(deep).Request, default));
    }

    [Fact]
    public async Task ReadAsync_BodyOverLimitWithoutContentLength_PayloadTooLarge()
    {
        var big = "{\"clientRef\":\"" + new string('x', RequestBody.MaxBytes) + "\"}";

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => RequestBody.ReadAsync<CrisisSearchDraft>(Request(big).Request, default));
    }
    [Theory]
    [InlineData("$.crisis.contactAttempts[0].at", "crisis.contactAttempts[0].at")]
    [InlineData("$.ClientRef", "clientRef")]
    [InlineData("$.Jane Doe", "$")]
    [InlineData("$['Jane Doe']", "$")]
    [InlineData("$.crisis.janeDoe", "crisis")]
    [InlineData("$.crisis['x'].riskLevel", "crisis")]
    [InlineData("$.scope.queries[3]", "scope.queries[3]")]
    [InlineData("$.scope[x]", "scope")]
    [InlineData("$", "$")]
    [InlineData(null, "$")]
    public void FieldOf_Contract_NamesOnlyMembersTheContractDefines(string? path, string field)
    {
        Assert.Equal(field, RequestBody.FieldOf(path, typeof(CrisisSearchDraft)));
    }

    [Theory]
    [InlineData("""{"janeDoe4711":1}""")]
    [InlineData("""{"crisis":{"<b>janeDoe4711</b>":1}}""")]
    [InlineData("""{"scope":{"sources":["blog"],"janeDoe4711":[1]}}""")]
    public async Task ReadAsync_UnknownMember_ErrorDoesNotEchoItsName(string body)
    {
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => RequestBody.ReadAsync<CrisisSearchDraft>(Request(body).Request, default));

        Assert.DoesNotContain(e.Errors.ToDictionary(), p => p.Key.Contains("janeDoe", StringComparison.OrdinalIgnoreCase) || p.Value.Any(m => m.Contains("janeDoe", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("janeDoe", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
