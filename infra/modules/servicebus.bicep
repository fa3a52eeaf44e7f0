// Service Bus Standard namespace (duplicate detection needs Standard or Premium) with the work queues of design §2:
// `orders` for work somebody waits for, `bulk` for fetches, backfills, scans and housekeeping, so waiting work is never
// queued behind a backfill. Local (SAS) auth is off; the identity may send (the handler, Azure.Messaging.ServiceBus over
// AMQP) and receive (the host's serviceBusTrigger) on these queues only. No sessions: ordering and idempotency come
// from ETag-guarded state; every message has a deterministic MessageId, so every queue detects duplicates.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Service Bus namespace name.')
@minLength(6)
@maxLength(50)
param name string

@description('Queue of the work somebody waits for (ProcessOrderMessage, setting OrdersQueueName).')
param ordersQueueName string

@description('Queue of bulk work: fetch pages and what they find, store scans, housekeeping (ProcessBulkMessage, setting BulkQueueName). Must differ from ordersQueueName.')
param bulkQueueName string

@description('Name of the user-assigned managed identity of the function app.')
param identityName string

var serviceBusDataSenderRoleId = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
var serviceBusDataReceiverRoleId = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// What differs per queue; index 0 is the orders queue, 1 the bulk queue (outputs below).
var queues = [
  {
    name: ordersQueueName
    // The host renews the lock while the handler works (host.json maxAutoLockRenewalDuration); a short lock brings
    // waiting work back quickly when an instance dies. Expired messages are dead-lettered, not dropped.
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P7D'
    maxSizeInMegabytes: 1024
  }
  {
    name: bulkQueueName
    // A bulk message may wait in the handler behind Queues__BulkConcurrency and then fetch a page from TikTok: the
    // longest lock Standard allows (5 min) leaves slack if a renewal is late, and nobody waits for a redelivery.
    // A first-connection backfill (100,000 orders) drains slowly under that bound and while a store is down, so its
    // messages get two weeks and the largest unpartitioned Standard queue (5 GB) instead of expiring or filling it.
    lockDuration: 'PT5M'
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 5120
  }
]

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [for q in queues: {
  parent: namespace
  name: q.name
  properties: {
    // Every send carries a deterministic MessageId: re-sends (SDK retries, redelivered work) are dropped here.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    requiresSession: false
    maxDeliveryCount: 10
    lockDuration: q.lockDuration
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: q.defaultMessageTimeToLive
    enableBatchedOperations: true
    enablePartitioning: false
    maxSizeInMegabytes: q.maxSizeInMegabytes
  }
}]

// The handler sends to both queues (work moves between them, e.g. a fetch page queues orders) and the host receives
// from both: each role is scoped to its queue, never the namespace.
resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (q, i) in queues: {
  name: guid(queue[i].id, identity.id, serviceBusDataSenderRoleId)
  scope: queue[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSenderRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (q, i) in queues: {
  name: guid(queue[i].id, identity.id, serviceBusDataReceiverRoleId)
  scope: queue[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiverRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = namespace.name
// "https://<name>.servicebus.windows.net:443/" -> "<name>.servicebus.windows.net" (cloud-neutral: no hard-coded suffix).
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output ordersQueueName string = queue[0].name
output bulkQueueName string = queue[1].name
