// The WelfareAudit Functions app on Flex Consumption: .NET 10 isolated worker, the user-assigned identity
// for everything (host storage, deployment package, ledger, Key Vault, telemetry), HTTPS only, FTP and
// basic publishing credentials off, and App Service Authentication (Entra ID) in front of every route
// except the health probe.

@description('Name of the function app.')
param name string

@description('Location of the function app.')
param location string

@description('Tags for the function app (azd-service-name is added here).')
param tags object = {}

@description('The azd service name in azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string = 'api'

@description('Resource id of the Flex Consumption plan.')
param planId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (not a secret: it names the identity, it does not prove it).')
param identityClientId string

@description('Name of the Functions host storage account (AzureWebJobsStorage and the deployment package).')
param hostStorageName string

@description('Blob container in the host storage account that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Table endpoint of the ledger account (https://{account}.table.core.windows.net/).')
param ledgerTableServiceUri string

@description('The ledger table.')
param ledgerTableName string

@description('URI of the Key Vault that holds the keys.')
param keyVaultUri string

@description('Prefix of the key secrets: {prefix}-data-key, {prefix}-index-key, {prefix}-signing-key.')
param keySecretNamePrefix string

@description('URI of the WORM checkpoint container, or empty when it is not deployed.')
param checkpointContainerUri string

@description('NCRONTAB schedule of the reminder sweep.')
param reminderSchedule string

@description('NCRONTAB schedule of the daily signed checkpoint.')
param checkpointSchedule string

@description('NCRONTAB schedule of the supervisors\' daily digest job.')
param supervisorDigestSchedule string

@description('SMTP host for reminder emails (empty: no email).')
param reminderSmtpHost string

@description('SMTP port for reminder emails.')
param reminderSmtpPort int

@description('Sender address of reminder emails.')
param reminderSmtpFrom string

@description('Webhook for reminder pushes (empty: no webhook). It must not embed a credential: see docs/deploy.md.')
param reminderWebhookUrl string

@description('IANA time zone of the practice, for reminder times.')
param reminderTimeZone string

@description('Email address of the therapist for reminder emails (one-therapist practice; more in docs/reminders.md).')
param reminderTherapistEmail string

@description('Email address of the supervisor for escalations.')
param reminderSupervisorEmail string

@description('Client id of the Entra ID app registration users sign in to.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@description('Version of the access tokens the app registration issues (accessTokenAcceptedVersion): it decides their issuer.')
@allowed([
  1
  2
])
param accessTokenAcceptedVersion int

@description('Maximum number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// App Service Authentication accepts tokens from one issuer only, and the registration's
// accessTokenAcceptedVersion decides which one a bearer caller's access token names: v1 tokens come from the
// tenant's STS (sts.windows.net in the public cloud; sovereign clouds have their own: use version 2 there),
// v2 tokens from the login endpoint. Browser sign-in follows the issuer's metadata, so it works with either.
var openIdIssuer = accessTokenAcceptedVersion == 1
  ? 'https://sts.windows.net/${authTenantId}/'
  : '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    // Key Vault references in app settings (an SMTP password, a credential-bearing webhook URL: docs/deploy.md)
    // are resolved with the system-assigned identity unless this names another; the app has only its
    // user-assigned identity, so without it the references stay unresolved and the app fails at start.
    keyVaultReferenceIdentity: identityId
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Every value is an address, a name or a schedule: no connection string, no account key, no SAS, no secret.
// Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION (functionAppConfig says
// it), and WEBSITE_AUTH_ENABLED is set by the platform itself when authsettingsV2 turns authentication on:
// the app trusts X-MS-CLIENT-PRINCIPAL only then, so it must never be set here by hand.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // HTTP and timer triggers need blob only (timer locks and the deployment package): no queue or table
    // endpoint, so no queue or table role on the host account.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    // The Application Insights connection string names the component; with DisableLocalAuth it cannot be
    // used to send telemetry without an Entra token, which the authentication string makes the host get.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // Known start-up crash of .NET 10 isolated apps on Flex Consumption: start without the placeholder.
    WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED: '0'
    WelfareAudit__Storage__TableServiceUri: ledgerTableServiceUri
    WelfareAudit__Storage__TableName: ledgerTableName
    WelfareAudit__Keys__VaultUri: keyVaultUri
    WelfareAudit__Keys__SecretNamePrefix: keySecretNamePrefix
    WelfareAudit__Identity__Credential: 'ManagedIdentity'
    WelfareAudit__Identity__ManagedIdentityClientId: identityClientId
    WelfareAudit__Checkpoints__ContainerUri: checkpointContainerUri
    REMINDER_SCHEDULE: reminderSchedule
    CHECKPOINT_SCHEDULE: checkpointSchedule
    SUPERVISOR_DIGEST_SCHEDULE: supervisorDigestSchedule
    WelfareAudit__Reminders__Smtp__Host: reminderSmtpHost
    WelfareAudit__Reminders__Smtp__Port: string(reminderSmtpPort)
    WelfareAudit__Reminders__Smtp__From: reminderSmtpFrom
    WelfareAudit__Reminders__Webhook__Url: reminderWebhookUrl
    WelfareAudit__Reminders__Policy__TimeZone: reminderTimeZone
    WelfareAudit__Reminders__DefaultTherapistEmail: reminderTherapistEmail
    WelfareAudit__Reminders__SupervisorEmails__0: reminderSupervisorEmail
    WelfareAudit__Reminders__PhoneLink: 'https://${site.properties.defaultHostName}/'
  }
}

// App Service Authentication: the platform signs users in with Entra ID, strips any X-MS-CLIENT-PRINCIPAL
// a caller sends, and sets its own. Only the health probe is reachable without signing in. No client
// secret: the app needs the user's ID token only (no access tokens for downstream APIs), and tokens are
// not stored.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      // A browser (the phone page) is sent to the Entra sign-in; a script that sends
      // X-Requested-With: XMLHttpRequest gets 401 instead of a redirect.
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: [
        '/api/health'
      ]
    }
    httpSettings: {
      requireHttps: true
      routes: {
        apiPrefix: '/.auth'
      }
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: openIdIssuer
        }
        validation: {
          // A v2 access token's audience is the client id; a v1 token's is the resource it was requested for,
          // the App ID URI (api://{client id}) that docs/deploy.md registers. Sign-in ID tokens carry the client id.
          allowedAudiences: [
            authClientId
            'api://${authClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
      preserveUrlFragmentsForLogins: true
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '08:00:00'
      }
    }
  }
}

// Deployments go through Entra ID (azd uses the signed-in user's token): no FTP or SCM passwords.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
