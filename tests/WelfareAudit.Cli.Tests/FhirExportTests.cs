using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using WelfareAudit.Core.Audit;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// The FHIR R4 export checked by Firely's validator against the R4 specification (<see cref="FhirValidation"/>),
/// which passes the specification's own example and rejects broken ones.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class FhirExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AuditWorld _world = new(azurite);

    private static string SpecExample => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "auditevent-example.r4.json"));

    /// <summary>Firely's R4 model (Hl7.Fhir.R4), deserializing strictly: unknown elements, wrong types, bad codes and cardinality fail.</summary>
    private static Resource ParseStrictR4(string json) =>
        FhirSerializationEngineFactory.Strict(ModelInfo.ModelInspector).DeserializeFromJson(json) ?? throw new InvalidOperationException("No resource.");

    public System.Threading.Tasks.Task InitializeAsync() => System.Threading.Tasks.Task.CompletedTask;

    public async System.Threading.Tasks.Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public void ParseStrictR4_SpecificationsOwnExample_ParsesAsAuditEvent()
    {
        var parsed = Assert.IsType<AuditEvent>(ParseStrictR4(SpecExample));

        Assert.Equal("110100", parsed.Type.Code);
    }

    [Fact]
    public void ParseStrictR4_UnknownElement_Fails()
    {
        var node = JsonNode.Parse(SpecExample)!.AsObject();
        node["userId"] = "Grahame";

        Assert.ThrowsAny<Exception>(() => ParseStrictR4(node.ToJsonString()));
    }

    [Fact]
    public void Validate_SpecificationsOwnAuditEventExample_Conforms()
    {
        Assert.Empty(FhirValidation.Problems(SpecExample));
    }

    [Theory]
    [InlineData("recorded", null, "Missing required member: 'recorded'")]
    [InlineData("action", "X", "AuditEvent.action[0]: Code 'X' does not exist in the value set 'AuditEventAction'")]
    [InlineData("userId", "Grahame", "Encountered unknown child elements 'userId'")]
    [InlineData("outcome", "200", "AuditEvent.outcome[0]: Code '200' does not exist in the value set 'AuditEventOutcome'")]
    public void Validate_SpecExampleBroken_RejectedNamingTheElement(string element, string? value, string expected)
    {
        var node = JsonNode.Parse(SpecExample)!.AsObject();
        if (value is null)
        {
            node.Remove(element);
        }
        else
        {
            node[element] = value;
        }

        var problems = FhirValidation.Problems(node.ToJsonString());

        Assert.Contains(problems, p => p.StartsWith("Error ", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SpecExampleBreakingAnInvariant_Rejected()
    {
        // sev-1: an entity has a name or a query, not both.
        var node = JsonNode.Parse(SpecExample)!.AsObject();
        node["entity"]![0]!["name"] = "Grahame";
        node["entity"]![0]!["query"] = "eA==";

        Assert.Contains(FhirValidation.Problems(node.ToJsonString()), p => p.Contains("sev-1", StringComparison.Ordinal));
    }

    [Fact]
    public async System.Threading.Tasks.Task Fhir_Export_IsAConformingR4BundleOfAuditEventsWithEmergencyCodes()
    {
        var logged = await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-FHIR");

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, AuditWorld.TherapistA, AuditFormat.Fhir, false), "export.fhir.json");

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal([], FhirValidation.Problems(File.ReadAllText(path)));
        var model = Assert.IsType<Bundle>(ParseStrictR4(File.ReadAllText(path)));
        Assert.All(model.Entry, e => Assert.IsType<AuditEvent>(e.Resource));
        Assert.Equal("collection", root.GetProperty("type").GetString());
        var events = root.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal("AuditEvent", e.GetProperty("resourceType").GetString()));

        var search = events[0];
        Assert.Equal("110127", search.GetProperty("subtype")[0].GetProperty("code").GetString());
        Assert.Equal("ETREAT", search.GetProperty("purposeOfEvent")[0].GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal("http://terminology.hl7.org/CodeSystem/v3-ActReason", search.GetProperty("purposeOfEvent")[0].GetProperty("coding")[0].GetProperty("system").GetString());
        Assert.Contains(search.GetProperty("entity").EnumerateArray(), e => e.GetProperty("what").GetProperty("identifier").GetProperty("value").GetString() == "CLIENT-FHIR");
        Assert.Contains(search.GetProperty("entity").EnumerateArray(), e => e.GetProperty("what").GetProperty("identifier").GetProperty("value").GetString() == logged.Id.ToString("D"));
        var discussion = events.Single(e => e.GetProperty("outcomeDesc").GetString() == "DiscussedWithClient");
        Assert.Equal("110138", discussion.GetProperty("subtype")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Fhir_WithheldClientCodes_PseudonymSystemOnly()
    {
        await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-FHIR-W");

        var path = await _world.ExportAsync(new AuditExportRequest(null, null, null, AuditFormat.Fhir, true), "withheld.fhir.json");

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("CLIENT-FHIR-W", text, StringComparison.Ordinal);
        Assert.Contains(AuditFhirWriter.ClientPseudonymSystem, text, StringComparison.Ordinal);
        Assert.Empty(FhirValidation.Problems(text));
    }
}
