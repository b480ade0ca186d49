// WelfareAudit on Azure: one resource group with the Functions app (Flex Consumption, .NET 10 isolated),
// its user-assigned identity, the ledger's storage account, the Functions host's storage account, Key Vault,
// and Log Analytics + Application Insights. Keyless throughout: Entra ID and RBAC everywhere, shared keys
// off, no secret in any app setting or output. Local modules only (no registry), so it builds offline.
// `azd up` deploys it; infra/build.sh builds and lints it; tests/WelfareAudit.Deployment.Tests checks it.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds the unique names of all resources.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption: `az functionapp list-flexconsumption-locations`.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person or pipeline running the deployment (azd sets AZURE_PRINCIPAL_ID); it gets Key Vault Secrets Officer to create the keys. Empty: no assignment.')
param principalId string = ''

@description('Kind of that principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Entra ID app registration users sign in to (docs/deploy.md creates it).')
param authClientId string

@description('Tenant of that app registration; by default the deployment\'s tenant.')
param authTenantId string = tenant().tenantId

@description('Version of the access tokens the app registration issues to bearer callers (automation, scripts): its manifest\'s accessTokenAcceptedVersion, Graph api.requestedAccessTokenVersion. App Service Authentication accepts only the issuer configured for it: 2 (docs/deploy.md sets it) -> {login endpoint}{tenant}/v2.0; 1, or a registration that leaves it unset -> https://sts.windows.net/{tenant}/.')
@allowed([
  1
  2
])
param accessTokenAcceptedVersion int = 2

@description('Name of the ledger table.')
param ledgerTableName string = 'WelfareAuditLedger'

@description('Prefix of the key secrets in Key Vault.')
param keySecretNamePrefix string = 'welfareaudit'

@description('Replication of the ledger account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param ledgerStorageSku string = 'Standard_RAGRS'

@description('Create the immutable (WORM) container the signed checkpoints are also written to.')
param enableCheckpointWorm bool = true

@minValue(1)
@maxValue(146000)
@description('Days each checkpoint blob stays immutable: six years by default (45 CFR 164.316(b)(2)).')
param checkpointImmutabilityDays int = 2190

@description('Set to true once the checkpoint container\'s immutability policy has been locked (docs/deploy.md, "Lock the WORM policy"): Azure allows only extending a locked policy, so the deployment then leaves it alone instead of declaring it again, which would fail.')
param checkpointPolicyLocked bool = false

@description('Lock the ledger account against deletion (also against `azd down`).')
param protectLedgerFromDeletion bool = true

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps logs and telemetry.')
param logRetentionInDays int = 90

@description('NCRONTAB schedule of the reminder sweep.')
param reminderSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the daily signed checkpoint (UTC).')
param checkpointSchedule string = '0 5 0 * * *'

@description('NCRONTAB schedule of the supervisors\' daily digest job (UTC); it sends once a local day after the daily reminder time.')
param supervisorDigestSchedule string = '0 10 * * * *'

@description('SMTP host for reminder emails; empty: no email.')
param reminderSmtpHost string = ''

@minValue(1)
@maxValue(65535)
@description('SMTP port for reminder emails.')
param reminderSmtpPort int = 587

@description('Sender address of reminder emails.')
param reminderSmtpFrom string = ''

@description('Webhook URL for reminder pushes; empty: no webhook. Never a URL that embeds a credential.')
param reminderWebhookUrl string = ''

@description('IANA time zone of the practice, for reminder times.')
param reminderTimeZone string = 'Etc/UTC'

@description('Email address of the therapist for reminder emails; required when an SMTP host is set.')
param reminderTherapistEmail string = ''

@description('Email address of the supervisor for escalations; required when an SMTP host is set.')
param reminderSupervisorEmail string = ''

@minValue(1)
@maxValue(1000)
@description('Maximum number of Flex Consumption instances.')
param maximumInstanceCount int = 40

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'welfare-audit'
}
var functionAppName = '${abbrs.webSitesFunctions}welfareaudit-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var checkpointContainerName = 'checkpoints'
// Names are computed here, not read back from module outputs, so What-If can predict every resource id.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}welfareaudit-${resourceToken}'
var logAnalyticsName = '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var hostStorageName = '${abbrs.storageStorageAccounts}host${resourceToken}'
var ledgerStorageName = '${abbrs.storageStorageAccounts}ledger${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var planName = '${abbrs.webServerFarms}${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module hostStorage 'core/storage/storage-account.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: hostStorageName
    location: location
    tags: tags
    containers: [deploymentContainerName]
  }
}

module ledgerStorage 'app/ledger-storage.bicep' = {
  name: 'ledger-storage'
  scope: rg
  params: {
    name: ledgerStorageName
    location: location
    tags: tags
    skuName: ledgerStorageSku
    tableName: ledgerTableName
    enableCheckpointWorm: enableCheckpointWorm
    checkpointContainerName: checkpointContainerName
    checkpointImmutabilityDays: checkpointImmutabilityDays
    checkpointPolicyLocked: checkpointPolicyLocked
    protectFromDeletion: protectLedgerFromDeletion
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: planName
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    hostStorageName: hostStorageName
    ledgerStorageName: ledgerStorageName
    checkpointContainerName: checkpointContainerName
    enableCheckpointWorm: enableCheckpointWorm
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [hostStorage, ledgerStorage, keyVault, monitoring]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorageName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    ledgerTableServiceUri: ledgerStorage.outputs.tableEndpoint
    ledgerTableName: ledgerTableName
    keyVaultUri: keyVault.outputs.uri
    keySecretNamePrefix: keySecretNamePrefix
    checkpointContainerUri: ledgerStorage.outputs.checkpointContainerUri
    reminderSchedule: reminderSchedule
    checkpointSchedule: checkpointSchedule
    supervisorDigestSchedule: supervisorDigestSchedule
    reminderSmtpHost: reminderSmtpHost
    reminderSmtpPort: reminderSmtpPort
    reminderSmtpFrom: reminderSmtpFrom
    reminderWebhookUrl: reminderWebhookUrl
    reminderTimeZone: reminderTimeZone
    reminderTherapistEmail: reminderTherapistEmail
    reminderSupervisorEmail: reminderSupervisorEmail
    authClientId: authClientId
    authTenantId: authTenantId
    accessTokenAcceptedVersion: accessTokenAcceptedVersion
    maximumInstanceCount: maximumInstanceCount
  }
  // The app must not start before it may read its keys and its ledger.
  dependsOn: [hostStorage, rbac]
}

// Addresses and names only: nothing here is a credential.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output WELFARE_AUDIT_TABLE_SERVICE_URI string = ledgerStorage.outputs.tableEndpoint
output WELFARE_AUDIT_TABLE_NAME string = ledgerTableName
// The name prefix of the key secrets (not a secret): the postprovision hook creates the keys under it.
output AZURE_KEY_VAULT_NAME_PREFIX string = keySecretNamePrefix
output WELFARE_AUDIT_CHECKPOINT_CONTAINER_URI string = ledgerStorage.outputs.checkpointContainerUri
// Written back into the azd environment, so `azd env refresh` on another machine keeps a locked policy alone.
output CHECKPOINT_POLICY_LOCKED bool = checkpointPolicyLocked
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
