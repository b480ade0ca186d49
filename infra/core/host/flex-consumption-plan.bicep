// A Flex Consumption (FC1) plan: Linux, scale to zero, per-execution billing.

@description('Name of the plan.')
param name string

@description('Location of the plan.')
param location string

@description('Tags for the plan.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
