# azd postprovision on Windows: the same as postprovision.sh.
$ErrorActionPreference = 'Stop'
if (-not $env:AZURE_KEY_VAULT_URI) { throw 'postprovision: AZURE_KEY_VAULT_URI is not set (it is an output of infra/main.bicep).' }
if (-not (Test-Path 'tools/WelfareAudit.Cli/WelfareAudit.Cli.csproj')) {
  Write-Warning 'postprovision: tools/WelfareAudit.Cli is not in this checkout yet (it arrives with issue 5).'
  Write-Warning "postprovision: create the keys later with: dotnet run --project tools/WelfareAudit.Cli -- keys init --vault `"$env:AZURE_KEY_VAULT_URI`""
  exit 0
}
for ($attempt = 1; ; $attempt++) {
  dotnet run --project tools/WelfareAudit.Cli -- keys init --vault "$env:AZURE_KEY_VAULT_URI"
  if ($LASTEXITCODE -eq 0) { break }
  if ($attempt -ge 6) { throw "postprovision: keys init failed $attempt times; run it again once the Key Vault Secrets Officer role has propagated." }
  Write-Warning "postprovision: keys init failed (attempt $attempt); waiting 30 s for role assignments to propagate..."
  Start-Sleep -Seconds 30
}
