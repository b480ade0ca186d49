# azd postprovision on Windows: the same as postprovision.sh (the keys are created as the account azd signed
# in with, in the deployment's tenant AZURE_TENANT_ID).
$ErrorActionPreference = 'Stop'
if (-not $env:AZURE_KEY_VAULT_URI) { throw 'postprovision: AZURE_KEY_VAULT_URI is not set (it is an output of infra/main.bicep).' }
if (-not $env:AZURE_TENANT_ID) { throw 'postprovision: AZURE_TENANT_ID is not set (it is an output of infra/main.bicep).' }
$prefix = if ($env:AZURE_KEY_VAULT_NAME_PREFIX) { $env:AZURE_KEY_VAULT_NAME_PREFIX } else { 'welfareaudit' }
for ($attempt = 1; ; $attempt++) {
  dotnet run --project tools/WelfareAudit.Cli -- keys init --vault "$env:AZURE_KEY_VAULT_URI" --prefix $prefix --credential azd
  if ($LASTEXITCODE -eq 0) { break }
  if ($attempt -ge 6) { throw "postprovision: keys init failed $attempt times; run it again once the Key Vault Secrets Officer role has propagated." }
  Write-Warning "postprovision: keys init failed (attempt $attempt); waiting 30 s for role assignments to propagate..."
  Start-Sleep -Seconds 30
}
