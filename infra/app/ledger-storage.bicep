// The ledger's own storage account, apart from the Functions host's: it holds the encrypted,
// hash-chained table and (optionally) the WORM container of signed checkpoints, and nothing else.
// Only the app's identity gets data access to it (see rbac.bicep).

@description('Name of the account.')
param name string

@description('Location of the account.')
param location string

@description('Tags for the account.')
param tags object = {}

@description('Replication of the ledger account. Geo-redundancy protects against the loss of a region, not against deletion: see docs/operations.md.')
param skuName string

@description('The ledger table (the app\'s WelfareAudit__Storage__TableName).')
param tableName string

@description('Create the immutable (WORM) container the signed checkpoints are anchored in.')
param enableCheckpointWorm bool

@description('Name of the checkpoint container.')
param checkpointContainerName string

@description('Days each checkpoint blob stays immutable after it is created.')
param checkpointImmutabilityDays int

@description('The policy has been locked by the operator: leave it alone (a locked policy accepts only "extend").')
param checkpointPolicyLocked bool

@description('Put a CanNotDelete lock on the account so the ledger cannot be deleted with the resource group.')
param protectFromDeletion bool

@description('Log Analytics workspace that receives the table and blob access logs.')
param logAnalyticsWorkspaceId string

module account '../core/storage/storage-account.bicep' = {
  name: 'ledger-storage-account'
  params: {
    name: name
    location: location
    tags: tags
    skuName: skuName
    tables: [tableName]
    containers: enableCheckpointWorm ? [checkpointContainerName] : []
    // Soft delete is a second chance after a mistake; the WORM policy is the guarantee.
    deleteRetentionDays: 30
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: name
  dependsOn: [account]
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource checkpointContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: checkpointContainerName
}

// Time-based retention: a checkpoint blob (one block blob per anchored checkpoint, written once with
// If-None-Match: *, docs/ledger-format.md section 14) cannot be overwritten, appended to or deleted until it is
// checkpointImmutabilityDays old. Protected append writes stay off: no blob in this container is ever appended
// to, and with them on, an append blob created under an anchor's name before the app writes it could be filled
// in later. ARM can only create the policy
// unlocked; locking it (irreversible, after which not even the subscription owner can shorten it) is a
// deliberate operator step (docs/deploy.md). Azure then refuses every request on the policy but "extend",
// so once it is locked the deployment must not declare it again: checkpointPolicyLocked.
resource checkpointImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (enableCheckpointWorm && !checkpointPolicyLocked) {
  parent: checkpointContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: checkpointImmutabilityDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

// Who touched the ledger, when, from where: the storage side of the HIPAA audit trail (164.312(b)).
resource tableAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'ledger-table-access-to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

resource blobAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'ledger-blob-access-to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

resource noDelete 'Microsoft.Authorization/locks@2020-05-01' = if (protectFromDeletion) {
  name: 'welfare-audit-ledger-no-delete'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'Audit records must be kept for at least six years (45 CFR 164.316(b)(2)). Remove this lock only under the retention procedure in docs/operations.md.'
  }
}

output id string = account.outputs.id
output name string = account.outputs.name
output tableEndpoint string = account.outputs.tableEndpoint
output checkpointContainerUri string = enableCheckpointWorm ? '${account.outputs.blobEndpoint}${checkpointContainerName}' : ''
