using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// A supervisor's review (<c>SupervisorReviewed</c>) on a real ledger (Azurite, local key file), exported: the bundle
/// verifies with the CLI and a changed outcome or note is named; the FHIR AuditEvent has the supervisor as agent and
/// conforms to R4 (Firely's validator); the CSV row carries the outcome.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReviewExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SupervisorId = "5a5a5a5a-0000-4000-8000-00000000abcd";
    private readonly AuditWorld _world = new(azurite);
    private long _reviewSequence;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        var logged = await _world.SearchWithFollowUpAsync(AuditWorld.TherapistA, "CLIENT-REVIEWED");
        var review = new SupervisorReviewed(logged.Id, SupervisorId, ReviewOutcomes.FollowUpNeeded, "Talk through the threshold at supervision.");
        _reviewSequence = (await _world.Ledger.AppendAsync(AuditWorld.TherapistA, SupervisorId, logged.Id, _ => review, default))!.Sequence;
    }

    public async System.Threading.Tasks.Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async System.Threading.Tasks.Task Bundle_WithAReview_VerifiesAndDisclosesTheNote()
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        var line = JsonNode.Parse(BundleTampering.Lines(bundle)[BundleTampering.IndexOfEvent(BundleTampering.Lines(bundle), _reviewSequence)])!;
        Assert.Equal(EventTypes.SupervisorReviewed, (string?)line["type"]);
        Assert.Equal(("follow-up-needed", SupervisorId), ((string?)line["clear"]!["outcome"], (string?)line["clear"]!["reviewer"]));
        Assert.Equal("Talk through the threshold at supervision.", (string?)line["disclosed"]!["note"]!["value"]);
    }

    [Theory]
    [InlineData("outcome")]
    [InlineData("reviewer")]
    [InlineData("note")]
    public async System.Threading.Tasks.Task Bundle_ReviewChanged_ChainBrokenAtTheReview(string field)
    {
        var bundle = await _world.ExportAsync(AuditWorld.Bundle(AuditWorld.TherapistA));
        BundleTampering.EditEvent(bundle, _reviewSequence, e =>
        {
            if (field == "note")
            {
                e["disclosed"]!["note"]!["value"] = "Fine.";
            }
            else
            {
                e["clear"]![field] = field == "outcome" ? "appropriate" : "5a5a5a5a-0000-4000-8000-00000000ffff";
            }
        });

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", await _world.PublicKeyFileAsync());

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith($"FAILED: {BundleProblemKind.ChainBroken}", run.Out, StringComparison.Ordinal);
        Assert.Contains($"at sequence {_reviewSequence}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Fhir_Review_AuditEventWithTheSupervisorAsAgent_ConformsToR4()
    {
        var path = await _world.ExportAsync(new AuditExportRequest(null, null, AuditWorld.TherapistA, AuditFormat.Fhir, false), "review.fhir.json");
        var text = File.ReadAllText(path);

        Assert.Equal([], FhirValidation.Problems(text));
        var model = Assert.IsType<Bundle>(FhirSerializationEngineFactory.Strict(ModelInfo.ModelInspector).DeserializeFromJson(text));
        var review = Assert.Single(model.Entry.Select(e => Assert.IsType<AuditEvent>(e.Resource)), e => e.OutcomeDesc == EventTypes.SupervisorReviewed);
        var agent = Assert.Single(review.Agent);
        Assert.Equal((AuditFhirWriter.SupervisorSystem, SupervisorId), (agent.Who?.Identifier?.System, agent.Who?.Identifier?.Value));
        Assert.Equal(true, agent.Requestor);
        Assert.Contains(review.Entity.SelectMany(e => e.Detail), d => d.Type == "reviewOutcome" && (d.Value as FhirString)?.Value == "follow-up-needed");
    }

    [Fact]
    public async System.Threading.Tasks.Task Csv_ReviewedSearch_HasTheOutcomeAndTheReviewer()
    {
        var path = await _world.ExportAsync(new AuditExportRequest(null, null, AuditWorld.TherapistA, AuditFormat.Csv, false), "review.csv");

        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var row = lines[1].Split("\",\"").Select(c => c.Trim('"')).ToList();
        Assert.Equal("follow-up-needed", row[header.IndexOf("reviewOutcome")]);
        Assert.Equal(SupervisorId, row[header.IndexOf("reviewer")]);
        Assert.Matches("^2026-", row[header.IndexOf("reviewedAt")]);
    }
}
