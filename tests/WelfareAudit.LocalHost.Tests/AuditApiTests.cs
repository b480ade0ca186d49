using System.Net;
using System.Text.Json;
using WelfareAudit.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using WelfareAudit.Core.Identity;
using WelfareAudit.Testing;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>The audit endpoints end to end over real HTTP: local host, real Azurite, real key file.</summary>
[Collection(LocalHostCollection.Name)]
public class AuditApiTests(LocalHostFixture host)
{
    private static string NewId() => Guid.NewGuid().ToString("D");

    private async Task<string> TherapistWithSearchesAsync(params string[] clientRefs)
    {
        var therapist = NewId();
        using var client = host.Client(therapist, Role.Therapist);
        foreach (var clientRef in clientRefs)
        {
            var response = await client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody(clientRef)));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        return therapist;
    }

    private HttpClient Supervisor() => host.Client(NewId(), Role.Supervisor);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task ExportAudit_Therapist_403()
    {
        var therapist = await TherapistWithSearchesAsync("C-403");
        using var client = host.Client(therapist, Role.Therapist);

        var response = await client.GetAsync($"api/audit/export?format=bundle&therapist={therapist}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ExportAudit_BadParameters_400NamingEach()
    {
        using var client = Supervisor();

        var response = await client.GetAsync("api/audit/export?format=xml&from=yesterday&to=2026-13-01&therapist=a%20b&withholdClientRef=maybe&limit=5");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Equal(["limit"], errors.EnumerateObject().Select(p => p.Name));

        response = await client.GetAsync("api/audit/export?format=xml&from=yesterday&to=2026-13-01&therapist=a%20b&withholdClientRef=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        errors = (await Json(response)).GetProperty("errors");
        Assert.Equal(["format", "from", "therapist", "to", "withholdClientRef"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("format=xml", "must be one of: bundle, csv, fhir, html")]
    [InlineData("format=CSV", "must be one of: bundle, csv, fhir, html")]
    [InlineData("from=2026-11-01", "is required: bundle, csv, fhir or html")]
    public async Task ExportAudit_UnknownOrMissingFormat_400NamingItAndListingTheKnownOnes(string query, string message)
    {
        using var client = Supervisor();

        var response = await client.GetAsync($"api/audit/export?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Equal([message], errors.GetProperty("format").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void ExportFormats_RegisteredInTheHost_AreTheOnesDocumentedInOpenApi()
    {
        var registered = host.App.Services.GetRequiredService<AuditExportFormats>().Names;

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "openapi.json")));
        var format = document.RootElement.GetProperty("paths").GetProperty("/api/audit/export").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "format");
        Assert.Equal(registered, format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExportAudit_Html_SelfContainedPagePolicy()
    {
        var therapist = await TherapistWithSearchesAsync("C-HTML-1");
        using var client = Supervisor();

        using var response = await client.GetAsync($"api/audit/export?format=html&therapist={therapist}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".html", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task ExportAudit_UnknownTherapist_404()
    {
        using var client = Supervisor();

        var response = await client.GetAsync($"api/audit/export?format=bundle&therapist={NewId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetSigningKey_AnySignedInCaller_PemAndKeyId()
    {
        using var client = host.Client(NewId(), Role.Therapist);

        var body = await Json(await client.GetAsync("api/audit/signing-key"));

        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("keyId").GetString());
        using var key = CheckpointStatement.ImportPublicKey(body.GetProperty("publicKey").GetString()!);
        Assert.Equal(256, key.KeySize);
    }

    [Fact]
    public async Task ExportAudit_BundleOverHttp_StreamedAndVerifiesWithThePublishedKey()
    {
        var therapist = await TherapistWithSearchesAsync("C-HTTP-1", "C-HTTP-2");
        using var client = Supervisor();
        var pem = (await Json(await client.GetAsync("api/audit/signing-key"))).GetProperty("publicKey").GetString();

        using var response = await client.GetAsync($"api/audit/export?format=bundle&therapist={therapist}&withholdClientRef=true", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked, "The export is streamed (chunked), not buffered.");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var result = await AuditBundleVerifier.VerifyAsync(body, pem, null, CancellationToken.None);
        Assert.True(result.Ok, result.Problem?.ToString());
        Assert.Equal(2, Assert.Single(result.Ledgers).InRange);
    }

    [Fact]
    public async Task ExportAudit_CsvOverHttp_ReadBackWithCsvHelper()
    {
        var therapist = await TherapistWithSearchesAsync("C-CSV-1", "C-CSV-2", "C-CSV-3");
        using var client = Supervisor();

        using var response = await client.GetAsync($"api/audit/export?format=csv&therapist={therapist}&from=2000-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var reader = CsvHelper.CsvReader.Create(await response.Content.ReadAsByteArrayAsync(), new CsvHelper.CsvReaderOptions { HasHeader = true });
        var headers = reader.Headers.ToList();
        var clients = new List<string>();
        foreach (var row in reader)
        {
            clients.Add(row.GetString(headers.IndexOf("client"))!);
            Assert.Equal("awaiting-discussion", row.GetString(headers.IndexOf("status")));
            Assert.Equal(therapist, row.GetString(headers.IndexOf("therapist")));
        }
        Assert.Equal(["C-CSV-1", "C-CSV-2", "C-CSV-3"], clients.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExportAudit_LedgerTamperedInStorage_409NamingLedgerAndSequenceAndNothingSigned()
    {
        var therapist = await TherapistWithSearchesAsync("C-TAMPER-1", "C-TAMPER-2");
        var table = new Azure.Data.Tables.TableClient(host.Azurite.ConnectionString, host.TableName);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(therapist, "0000000000000000002")).Value;
        row["C_occurredAt"] = "2020-01-01T00:00:00.0000000Z";
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        using var client = Supervisor();

        var response = await client.GetAsync($"api/audit/export?format=bundle&therapist={therapist}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await Json(response)).GetProperty("detail").GetString();
        Assert.Contains(therapist, detail, StringComparison.Ordinal);
        Assert.Contains("sequence 2", detail, StringComparison.Ordinal);
        var head = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(therapist, "head")).Value;
        Assert.Equal(2, head.GetInt64("Seq"));
    }
    [Fact]
    public async Task ExportAudit_ClientCodeAmended_CountedUnderTheCodeInForce()
    {
        var therapist = NewId();
        using (var own = host.Client(therapist, Role.Therapist))
        {
            Assert.Equal(HttpStatusCode.Created, (await own.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("C-INFORCE")))).StatusCode);
            var typo = await own.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody("C-TYPO")));
            var id = (await Json(typo)).GetProperty("id").GetString();
            var amended = await own.PostAsync($"api/searches/{id}/amendments", LocalHostFixture.Json("""{"field":"clientRef","value":"C-INFORCE","reason":"Wrong client code."}"""));
            Assert.Equal(HttpStatusCode.Created, amended.StatusCode);
        }
        using var client = Supervisor();

        var html = await client.GetStringAsync($"api/audit/export?format=html&therapist={therapist}");
        using var csv = await client.GetAsync($"api/audit/export?format=csv&therapist={therapist}");

        // One client (pseudonym) with both searches, flagged: more than one search for a client within a year.
        var perClient = html[html.IndexOf("id=\"per-client\"", StringComparison.Ordinal)..];
        perClient = perClient[..perClient.IndexOf("</table>", StringComparison.Ordinal)];
        var row = Assert.Single(System.Text.RegularExpressions.Regex.Matches(perClient, "<tr><td>[^<]*</td><td>(C-[0-9A-F]+)</td><td class=\"n\">([0-9]+)</td>"));
        Assert.Equal("2", row.Groups[2].Value);
        Assert.Contains("exceeds", perClient, StringComparison.Ordinal);
        using var reader = CsvHelper.CsvReader.Create(await csv.Content.ReadAsByteArrayAsync(), new CsvHelper.CsvReaderOptions { HasHeader = true });
        var column = reader.Headers.ToList().IndexOf("client");
        var clients = new List<string>();
        foreach (var csvRow in reader)
        {
            clients.Add(csvRow.GetString(column)!);
        }
        Assert.Equal(["C-INFORCE", "C-INFORCE"], clients);
    }
}
