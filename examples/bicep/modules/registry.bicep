@description('Name of the registry.')
param name string

param location string = resourceGroup().location

@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param sku string = 'Premium'

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: location
  sku: {
    name: sku
  }
  properties: {
    adminUserEnabled: true
    publicNetworkAccess: 'Disabled'
    networkRuleBypassOptions: 'None'
  }
}

output id string = registry.id
output loginServer string = registry.properties.loginServer
