#!/bin/sh
# azd postprovision: create the data, index and signing keys in the new vault, as the deploying user
# (who alone holds Key Vault Secrets Officer). `keys init` leaves existing keys alone, so re-running
# `azd provision` is safe. Role assignments can take a few minutes to reach Key Vault: retry on failure.
set -eu

if [ -z "${AZURE_KEY_VAULT_URI:-}" ]; then
  echo "postprovision: AZURE_KEY_VAULT_URI is not set (it is an output of infra/main.bicep)." >&2
  exit 1
fi

if [ ! -f tools/WelfareAudit.Cli/WelfareAudit.Cli.csproj ]; then
  # The CLI arrives with the export issue (issue 5). Until the keys exist, every ledger request gets
  # 503 "Temporarily unavailable": the app never writes a client field without its key.
  echo "postprovision: tools/WelfareAudit.Cli is not in this checkout yet (it arrives with issue 5);" >&2
  echo "postprovision: create the keys later with: dotnet run --project tools/WelfareAudit.Cli -- keys init --vault \"$AZURE_KEY_VAULT_URI\"" >&2
  exit 0
fi

attempt=1
until dotnet run --project tools/WelfareAudit.Cli -- keys init --vault "$AZURE_KEY_VAULT_URI"; do
  if [ "$attempt" -ge 6 ]; then
    echo "postprovision: keys init failed $attempt times; run it again once the Key Vault Secrets Officer role has propagated." >&2
    exit 1
  fi
  echo "postprovision: keys init failed (attempt $attempt); waiting 30 s for role assignments to propagate..." >&2
  attempt=$((attempt + 1))
  sleep 30
done
