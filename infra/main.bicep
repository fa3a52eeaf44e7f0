// Connector on Azure: an Azure Functions custom handler on Flex Consumption with Service Bus, Table Storage,
// Key Vault and Application Insights, all reached with one user-assigned managed identity (no keys, no SAS).
// Deploy with azd (azure.yaml) or `az deployment group create -f infra/main.bicep` (infra/DEPLOY.md).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME); part of the unique resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (azd: AZURE_LOCATION). Must offer Flex Consumption with runtime custom.')
param location string = resourceGroup().location

@description('TikTok Shop app key (Partner Center). Not a secret.')
param tiktokAppKey string

@description('TikTok Shop app service id (Partner Center), for the seller consent link of /api/tiktok/authorize. Optional.')
param tiktokServiceId string = ''

@description('Etsy app keystring (developers.etsy.com). Empty: no Etsy shops in this deployment.')
param etsyKeystring string = ''

@description('Etsy OAuth redirect URL registered with the Etsy app; empty: https://<function app>.azurewebsites.net/api/etsy/callback.')
param etsyOAuthRedirectUrl string = ''

@secure()
@description('Etsy app shared secret, written into Key Vault as etsy-shared-secret. Leave empty to keep the current secret.')
param etsySharedSecret string = ''

@secure()
@description('TikTok Shop app secret, written into Key Vault as tiktok-app-secret. Leave empty to keep the current secret.')
param tiktokAppSecret string = ''

@description('NCRONTAB (6 fields, UTC) of the FetchOrdersTimer function.')
param fetchSchedule string = '0 */5 * * * *'

@description('Service Bus queue of the work a webhook or a merchant waits for (ProcessOrderMessage, design §2).')
param ordersQueueName string = 'orders'

@description('Service Bus queue of bulk work: fetch pages, backfills, store scans, housekeeping (ProcessBulkMessage). Must differ from ordersQueueName.')
param bulkQueueName string = 'bulk'

@description('TikTok Shop Open API base URL.')
param tiktokApiBaseUrl string = 'https://open-api.tiktokglobalshop.com'

@description('TikTok Shop authorization base URL.')
param tiktokAuthBaseUrl string = 'https://auth.tiktok-shops.com'

@description('Flex Consumption instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of Flex Consumption scale-out (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Fallback if runtime custom misbehaves on Flex: run as dotnet-isolated 10.0. Then host.json must use "defaultExecutablePath": "dotnet" with "arguments": ["Connector.Handler.dll"] (infra/README.md).')
param useDotnetIsolatedFallback bool = false

@description('Key Vault purge protection (irreversible). Turn off only for throw-away environments.')
param enableKeyVaultPurgeProtection bool = true

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'connector'
}
var names = {
  identity: 'id-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}
var deploymentContainerName = 'app-package'
var appSecretName = 'tiktok-app-secret'
var etsySecretName = 'etsy-shared-secret'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    identityName: identity.name
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    deploymentContainerName: deploymentContainerName
    identityName: identity.name
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    name: names.serviceBus
    ordersQueueName: ordersQueueName
    bulkQueueName: bulkQueueName
    identityName: identity.name
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    enablePurgeProtection: enableKeyVaultPurgeProtection
    appSecretName: appSecretName
    appSecret: tiktokAppSecret
    etsySecretName: etsySecretName
    etsySecret: etsySharedSecret
    identityName: identity.name
  }
}

// Uses the other modules' outputs, so it is created after their role assignments: the app starts with working
// identity-based connections and a resolvable Key Vault reference.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    azdServiceName: 'connector'
    planName: names.plan
    appName: names.functionApp
    identityName: identity.name
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    ordersQueueName: serviceBus.outputs.ordersQueueName
    bulkQueueName: serviceBus.outputs.bulkQueueName
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    appSecretName: keyVault.outputs.appSecretName
    fetchSchedule: fetchSchedule
    tiktokApiBaseUrl: tiktokApiBaseUrl
    tiktokAuthBaseUrl: tiktokAuthBaseUrl
    tiktokAppKey: tiktokAppKey
    tiktokServiceId: tiktokServiceId
    etsyKeystring: etsyKeystring
    etsySecretName: etsySecretName
    etsyOAuthRedirectUrl: etsyOAuthRedirectUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    useDotnetIsolatedFallback: useDotnetIsolatedFallback
  }
}

var appBaseUrl = 'https://${functionApp.outputs.defaultHostName}'

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName

output resourceGroupName string = resourceGroup().name
output functionAppName string = functionApp.outputs.name
output storageAccountName string = storage.outputs.name
output serviceBusNamespaceName string = serviceBus.outputs.name
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output ordersQueueName string = serviceBus.outputs.ordersQueueName
output bulkQueueName string = serviceBus.outputs.bulkQueueName
output keyVaultName string = keyVault.outputs.name
@description('TikTok Partner Center: webhook URL (anonymous route, HMAC-verified by the handler).')
output webhookUrl string = '${appBaseUrl}/api/webhooks/tiktok'
@description('The merchant order page (function key or App Service Authentication in front).')
output orderPageUrl string = '${appBaseUrl}/api/app'
