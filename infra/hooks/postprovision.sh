#!/bin/sh
# azd postprovision: create the data, index and signing keys in the new vault, as the account azd signed in
# with (`azd auth login`; the deployment gave it, and nobody else, Key Vault Secrets Officer), in the
# deployment's tenant. `keys init` leaves existing keys alone, so re-running `azd provision` is safe.
# Role assignments can take a few minutes to reach Key Vault: retry on failure.
set -eu

if [ -z "${AZURE_KEY_VAULT_URI:-}" ]; then
  echo "postprovision: AZURE_KEY_VAULT_URI is not set (it is an output of infra/main.bicep)." >&2
  exit 1
fi
# The CLI's azd credential asks azd for a token in this tenant (AzureDeveloperCliCredential, TenantId).
if [ -z "${AZURE_TENANT_ID:-}" ]; then
  echo "postprovision: AZURE_TENANT_ID is not set (it is an output of infra/main.bicep)." >&2
  exit 1
fi
export AZURE_TENANT_ID

# The secret names must match the app's WelfareAudit__Keys__SecretNamePrefix (infra parameter keySecretNamePrefix).
prefix="${AZURE_KEY_VAULT_NAME_PREFIX:-welfareaudit}"

attempt=1
until dotnet run --project tools/WelfareAudit.Cli -- keys init --vault "$AZURE_KEY_VAULT_URI" --prefix "$prefix" --credential azd; do
  if [ "$attempt" -ge 6 ]; then
    echo "postprovision: keys init failed $attempt times; run it again once the Key Vault Secrets Officer role has propagated." >&2
    exit 1
  fi
  echo "postprovision: keys init failed (attempt $attempt); waiting 30 s for role assignments to propagate..." >&2
  attempt=$((attempt + 1))
  sleep 30
done
