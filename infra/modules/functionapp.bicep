// Flex Consumption (FC1, Linux) plan and the Connector function app: an Azure Functions custom handler.
// The Functions host runs the triggers and calls the handler (host.json customHandler); this module only wires
// identity-based connections and settings (design §6.1). Run with the user-assigned identity everywhere.

@description('Azure region.')
param location string

@description('Tags applied to every resource; the function app also gets azd-service-name.')
param tags object

@description('azd service name (azure.yaml) that deploys to this app.')
param azdServiceName string

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (also its default host name prefix).')
param appName string

@description('Name of the user-assigned managed identity the app runs as.')
param identityName string

@description('Storage account for AzureWebJobsStorage, state tables and the deployment package.')
param storageAccountName string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Fully qualified Service Bus namespace, e.g. sb-x.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Queue read by ProcessOrderMessage and written by the handler.')
param ordersQueueName string

@description('Queue read by ProcessBulkMessage and written by the handler.')
param bulkQueueName string

@description('Application Insights component name.')
param appInsightsName string

@description('Key Vault holding the TikTok app secret.')
param keyVaultName string

@description('Secret name of the TikTok app secret in the vault.')
param appSecretName string

@description('NCRONTAB (6 fields, UTC) of FetchOrdersTimer.')
param fetchSchedule string

@description('TikTok Shop Open API base URL.')
param tiktokApiBaseUrl string

@description('TikTok Shop authorization base URL.')
param tiktokAuthBaseUrl string

@description('TikTok Shop app key (not a secret).')
param tiktokAppKey string

@description('TikTok Shop app service id for the seller consent link (empty: /api/tiktok/authorize explains it is not set).')
param tiktokServiceId string

@description('Etsy app keystring; empty leaves the Etsy settings out (Shopify and PrestaShop only).')
param etsyKeystring string

@description('Key Vault secret holding the Etsy shared secret.')
param etsySecretName string

@description('Etsy OAuth redirect URL; empty: the app\'s default host name + /api/etsy/callback.')
param etsyOAuthRedirectUrl string

@description('Instance memory of the Flex plan, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of Flex scale-out.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('false: runtime custom 1.0 (the handler is a self-contained executable). true: runtime dotnet-isolated 10.0; host.json must then run "dotnet" with Connector.Handler.dll as argument.')
param useDotnetIsolatedFallback bool

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: useDotnetIsolatedFallback
        ? { name: 'dotnet-isolated', version: '10.0' }
        : { name: 'custom', version: '1.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex: no FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE (the runtime and
      // the package live in functionAppConfig). Names and meanings: design §6.1.
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
        { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__clientId', value: identity.properties.clientId }
        { name: 'OrdersQueueName', value: ordersQueueName }
        { name: 'BulkQueueName', value: bulkQueueName }
        { name: 'FetchSchedule', value: fetchSchedule }
        { name: 'TikTok__ApiBaseUrl', value: tiktokApiBaseUrl }
        { name: 'TikTok__AuthBaseUrl', value: tiktokAuthBaseUrl }
        { name: 'TikTok__AppKey', value: tiktokAppKey }
        { name: 'TikTok__AppSecret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${appSecretName})' }
        { name: 'TikTok__ServiceId', value: tiktokServiceId }
        // Contract (design §6.1): store URLs must be https on public addresses; only the local sandbox sets it to true.
        { name: 'Stores__AllowLoopback', value: 'false' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
      ], empty(etsyKeystring) ? [] : [
        { name: 'Etsy__Keystring', value: etsyKeystring }
        { name: 'Etsy__SharedSecret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${etsySecretName})' }
        { name: 'Etsy__OAuthRedirectUrl', value: empty(etsyOAuthRedirectUrl) ? 'https://${appName}.azurewebsites.net/api/etsy/callback' : etsyOAuthRedirectUrl }
      ])
    }
  }
}

// Deployments authenticate with Entra ID (azd, az CLI); no FTP or SCM basic-auth publishing credentials.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
