// Every role assignment of the deployment, least privilege, each scoped to the one resource it needs:
//   app identity  -> Storage Blob Data Owner on the host account (AzureWebJobsStorage + Flex deployment package)
//                 -> Storage Table Data Contributor on the ledger account (append, read; the ledger never deletes)
//                 -> Storage Blob Data Contributor on the checkpoint container only (append signed checkpoints)
//                 -> Key Vault Secrets User on the vault (read keys; it cannot create, rotate or delete them)
//                 -> Monitoring Metrics Publisher on Application Insights (Entra-authenticated telemetry)
//   deploying user -> Key Vault Secrets Officer on the vault, for `welfare-audit keys init|rotate` only.
// Role definition ids are written inline so the compiled template shows exactly which role goes where.
// Names are guid(scope, identity or principal, role): stable across re-deployments, unique per assignment.

@description('Name of the app\'s user-assigned identity; with the scope and the role it makes each assignment\'s stable name.')
param appIdentityName string

@description('Principal (object) id of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Object id of the person (or pipeline) running the deployment; empty: no assignment.')
param deployerPrincipalId string

@description('Kind of the deploying principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string

@description('Name of the Functions host storage account.')
param hostStorageName string

@description('Name of the ledger storage account.')
param ledgerStorageName string

@description('Name of the checkpoint container (ignored when enableCheckpointWorm is false).')
param checkpointContainerName string

@description('Whether the checkpoint container exists.')
param enableCheckpointWorm bool

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource ledgerStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: ledgerStorageName
}

resource ledgerBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: ledgerStorage
  name: 'default'
}

resource checkpointContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: ledgerBlobService
  name: checkpointContainerName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appHostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appIdentity.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: hostStorage
  properties: {
    description: 'Storage Blob Data Owner: Functions host storage and the Flex deployment package'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appLedgerTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ledgerStorage.id, appIdentity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: ledgerStorage
  properties: {
    description: 'Storage Table Data Contributor: the encrypted ledger'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appCheckpointBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableCheckpointWorm) {
  name: guid(checkpointContainer.id, appIdentity.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: checkpointContainer
  properties: {
    description: 'Storage Blob Data Contributor: append signed checkpoints to the WORM container'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    description: 'Key Vault Secrets User: read the data, index and signing keys'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentity.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: applicationInsights
  properties: {
    description: 'Monitoring Metrics Publisher: Entra-authenticated telemetry (local auth is off)'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerVaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  scope: vault
  properties: {
    description: 'Key Vault Secrets Officer: key bootstrap and rotation (welfare-audit keys init|rotate)'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
