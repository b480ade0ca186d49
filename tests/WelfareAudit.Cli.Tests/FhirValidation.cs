using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// Firely's FHIR validator (<c>Firely.Fhir.Validation.R4</c>), the reference implementation for .NET, over the
/// R4 specification package (<c>Hl7.Fhir.Specification.Data.R4</c>'s <c>specification.zip</c>, copied to the
/// test output): cardinality, types, FHIRPath invariants and required bindings, with a local terminology
/// service over the same package. Offline: nothing is fetched. Loading the specification takes a while, so
/// one validator serves every test.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Validator = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Validator Create()
    {
        var specification = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        Assert.True(File.Exists(specification), $"The R4 specification package is missing at {specification} (Hl7.Fhir.Specification.Data.R4 copies it there).");
        var resolver = new CachedResolver(ZipSource.CreateValidationSource(specification)).AsAsync();
        return new Validator(resolver, new LocalTerminologyService(resolver));
    }

    /// <summary>
    /// The validator's warnings and errors for a resource in JSON, as "Severity Code Expression: text". The JSON is
    /// read leniently, so unknown elements and bad values reach the validator, which reports them.
    /// </summary>
    public static IReadOnlyList<string> Problems(string json)
    {
        var resource = FhirSerializationEngineFactory.Ostrich(ModelInfo.ModelInspector).DeserializeFromJson(json)
            ?? throw new InvalidOperationException("Not a FHIR resource.");
        var outcome = Validator.Value.Validate(resource);
        return
        [
            .. outcome.Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Warning)
                .Select(i => $"{i.Severity} {i.Code} {string.Join(",", i.Expression)}: {i.Details?.Text}"),
        ];
    }
}
