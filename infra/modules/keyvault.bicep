// Key Vault (RBAC authorization, soft delete, purge protection by default) holding the TikTok Shop app secret.
// The function app reads it through a Key Vault reference resolved with its user-assigned identity.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Key Vault name (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Purge protection cannot be turned off once on; turn it off only for throw-away environments.')
param enablePurgeProtection bool

@description('Name of the secret that holds the TikTok Shop app secret.')
param appSecretName string

@secure()
@description('TikTok Shop app secret. Empty: leave the secret as it is (set or rotate it in the vault directly).')
param appSecret string

@description('Name of the secret that holds the Etsy app shared secret.')
param etsySecretName string

@secure()
@description('Etsy app shared secret. Empty: leave the secret as it is.')
param etsySecret string

@description('Name of the user-assigned managed identity of the function app.')
param identityName string

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM rejects an explicit false once the vault exists; omit the property instead.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource appSecretValue 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(appSecret)) {
  parent: vault
  name: appSecretName
  properties: {
    value: appSecret
    contentType: 'text/plain'
  }
}

resource etsySecretValue 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(etsySecret)) {
  parent: vault
  name: etsySecretName
  properties: {
    value: etsySecret
    contentType: 'text/plain'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output appSecretName string = appSecretName
output etsySecretName string = etsySecretName
